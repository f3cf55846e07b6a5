# One Blender save, as a user makes it: open the document if it exists, add one object, save over
# it (Blender writes NAME@, renames NAME to NAME1, then NAME@ to NAME). Prints "SAVE <object>
# FINISHED" or "SAVE <object> ERROR <reason>" on the last line.
import os
import sys
import time

import bpy

path, name = sys.argv[sys.argv.index('--') + 1:][:2]
path = os.path.abspath(path)
if os.path.exists(path):
    # A load can fail when a peer's save of the file lands while it is read (issue 14: the kernel
    # keeps one inode per path); a user would open it again, so this does, and says so.
    for attempt in range(3):
        try:
            bpy.ops.wm.open_mainfile(filepath=path)
            break
        except RuntimeError as e:
            print('LOAD-RETRY', name, ' '.join(str(e).split()), flush=True)
            if attempt == 2:
                raise
            time.sleep(1)
else:
    bpy.ops.wm.read_factory_settings(use_empty=True)
obj = bpy.data.objects.new(name, None)
bpy.context.scene.collection.objects.link(obj)
try:
    result = bpy.ops.wm.save_as_mainfile(filepath=path)
    print('SAVE', name, 'FINISHED' if 'FINISHED' in result else 'ERROR ' + ','.join(result))
except RuntimeError as e:
    print('SAVE', name, 'ERROR', ' '.join(str(e).split()))
