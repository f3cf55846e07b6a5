// Opens a page in headless Chromium and answers line commands on stdin, for the Java tests
// (fields separated by tabs):
//   text<TAB>SELECTOR<TAB>REGEX   waits (10 s) until the element's text matches: "ok <text>"
//   click<TAB>SELECTOR            clicks it (a confirm dialog it opens is accepted): "ok"
//   quit
// Anything that fails prints "fail <reason>". The first line printed is "ready" or "fail ...".
import { chromium } from "playwright-core";
import readline from "node:readline";

const [url] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  // A confirm() is answered OK, as a person does when asked "Remove bob from the drive?".
  page.on("dialog", dialog => dialog.accept());
  await page.goto(url);
  console.log("ready");
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, selector, regex] = line.split("\t");
    try {
      if (command === "quit") break;
      if (command === "text") {
        const pattern = new RegExp(regex);
        const element = page.locator(selector).first();
        const deadline = Date.now() + 10000;
        let text = "";
        for (;;) {
          text = (await element.count()) ? await element.innerText() : "";
          if (pattern.test(text)) break;
          if (Date.now() > deadline) throw new Error("'" + text.replace(/\s+/g, " ") + "' never matched " + pattern);
          await page.waitForTimeout(100);
        }
        console.log("ok " + text.replace(/\s+/g, " "));
      } else if (command === "click") {
        await page.locator(selector).first().click();
        console.log("ok");
      } else {
        console.log("fail unknown command " + command);
      }
    } catch (e) {
      console.log("fail " + e.message.split("\n")[0]);
    }
  }
} catch (e) {
  console.log("fail " + e.message.split("\n")[0]);
} finally {
  await browser.close();
}
