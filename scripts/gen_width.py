#!/usr/bin/env python3
"""gen_width.py - write src/width_table.h: the Unicode ranges aiproj's
display width needs, from Python's unicodedata (its Unicode version is
named in the output).  Run: python3 scripts/gen_width.py > src/width_table.h

zero: combining marks (Mn, Me) and format characters (Cf): no column.
wide: East Asian Wide (W) and Fullwidth (F): two columns (this includes
      the emoji with emoji presentation since Unicode 9).
format: Cf plus the line and paragraph separators (Zl, Zp): refused in
      names and persons, shown as <U+XXXX> in text output.
"""
import unicodedata


def ranges(pred):
    out, start = [], None
    for cp in range(0x110000):
        if pred(cp):
            if start is None:
                start = cp
        elif start is not None:
            out.append((start, cp - 1))
            start = None
    if start is not None:
        out.append((start, 0x10FFFF))
    return out


def cat(cp):
    return unicodedata.category(chr(cp))


def emit(name, rs):
    print("static const struct width_range %s[] = {" % name)
    line = "   "
    for a, b in rs:
        item = " {0x%X, 0x%X}," % (a, b)
        if len(line) + len(item) > 78:
            print(line)
            line = "   "
        line += item
    print(line)
    print("};")


print("/* width_table.h - from scripts/gen_width.py, Unicode %s:"
      " do not edit. */" % unicodedata.unidata_version)
print("struct width_range {\n\tunsigned lo, hi;\n};")
emit("width_zero", ranges(lambda cp: cat(cp) in ("Mn", "Me", "Cf")))
emit("width_wide", ranges(lambda cp: unicodedata.east_asian_width(chr(cp))
                          in ("W", "F") ))
emit("width_format", ranges(lambda cp: cat(cp) in ("Cf", "Zl", "Zp")))
