# One Blender save, as a user makes it: open the document if it exists, add one object, save over
# it (Blender writes NAME@, renames NAME to NAME1, then NAME@ to NAME). Prints "SAVE <object>
# FINISHED" or "SAVE <object> ERROR <reason>" on the last line.
import os
import sys

import bpy

path, name = sys.argv[sys.argv.index('--') + 1:][:2]
path = os.path.abspath(path)
if os.path.exists(path):
    bpy.ops.wm.open_mainfile(filepath=path)
else:
    bpy.ops.wm.read_factory_settings(use_empty=True)
obj = bpy.data.objects.new(name, None)
bpy.context.scene.collection.objects.link(obj)
try:
    result = bpy.ops.wm.save_as_mainfile(filepath=path)
    print('SAVE', name, 'FINISHED' if 'FINISHED' in result else 'ERROR ' + ','.join(result))
except RuntimeError as e:
    print('SAVE', name, 'ERROR', ' '.join(str(e).split()))
