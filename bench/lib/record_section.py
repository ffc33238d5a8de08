"""record_section.py DOC HEADING SECTION_FILE

Adds the text of SECTION_FILE (one recorded run, a "### " section) to DOC, at the end of its
"## HEADING" section: before the next "## " heading, else at the end of the file, with one blank
line on each side. A missing DOC is created with a "# Performance" title, and a missing heading is
added at the end. Runs of blank lines are folded into one. Used by bench/lib/common.sh's
record_section.
"""
import os
import re
import sys

doc, heading, section_file = sys.argv[1:4]
title = "## " + heading
section = open(section_file).read()
text = open(doc).read() if os.path.isfile(doc) else "# Performance\n"
if not any(line.startswith(title) for line in text.split("\n")):
    text += "\n" + title + "\n\n"
lines = text.split("\n")
start = next(i for i, line in enumerate(lines) if line.startswith(title))
end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
while end > start + 1 and lines[end - 1] == "":
    end -= 1
new = lines[:end] + [""] + section.rstrip("\n").split("\n") + [""] + lines[end:]
open(doc, "w").write(re.sub(r"\n{3,}", "\n\n", "\n".join(new)).rstrip("\n") + "\n")
