# Lists the objects of every file given after "--", one line each: "OBJECTS <file>\t<a> <b> ...",
# or "UNREADABLE <file>" when Blender cannot read it as a .blend file.
import sys

import bpy

for path in sys.argv[sys.argv.index('--') + 1:]:
    try:
        with bpy.data.libraries.load(path) as (data_from, data_to):
            names = list(data_from.objects)
        print('OBJECTS ' + path + '\t' + ' '.join(sorted(names)), flush=True)
    except Exception:
        print('UNREADABLE ' + path, flush=True)
