@echo off
rem GossipDrive on Windows (UNTESTED: written for WinFsp, never run on Windows by the project).
rem Needs a Java 25 JDK (JAVA_HOME) and WinFsp (https://winfsp.dev, "FUSE for Cygwin" not needed).
rem Build once on a machine with Maven: mvn -B -DskipTests install, then copy the repository.
rem Usage: mount-scripts\gossipdrive.cmd up --mount G:   (a free drive letter)
setlocal
set ROOT=%~dp0..
if "%JAVA_HOME%"=="" (
  echo error: set JAVA_HOME to a Java 25 JDK 1>&2
  exit /b 1
)
if not exist "%ROOT%\tests\target\classpath.txt" (
  echo error: build first: mvn -B -DskipTests install 1>&2
  exit /b 1
)
set /p CP=<"%ROOT%\tests\target\classpath.txt"
"%JAVA_HOME%\bin\java" --enable-native-access=ALL-UNNAMED -cp "%ROOT%\tests\target\classes;%CP%" org.gossipdrive.fs.cli.Main %*
