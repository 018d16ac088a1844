# Turns pandoc's default reference.docx into one that looks like Dutch Word:
# style IDs Kop1, Kop2 and Titel (names stay "heading 1", "heading 2",
# "Title"), plus a style "Kader kop" known only by its outline level.
# Usage: mkdir x && cd x && unzip -q ../ref.docx && python3 make_ref_nl.py && zip -q -X -r ../ref-nl.docx .
import re
p = 'word/styles.xml'
s = open(p).read()
for old, new in [('Heading1', 'Kop1'), ('Heading2', 'Kop2'), ('Title', 'Titel')]:
    s = s.replace('w:styleId="%s"' % old, 'w:styleId="%s"' % new).replace('w:val="%s"' % old, 'w:val="%s"' % new)
s = s.replace('<w:name w:val="Heading 1" />', '<w:name w:val="heading 1" />')
s = s.replace('<w:name w:val="Heading 2" />', '<w:name w:val="heading 2" />')
s = s.replace('<w:name w:val="Titel" />', '<w:name w:val="Title" />')
kader = ('<w:style w:type="paragraph" w:customStyle="1" w:styleId="Kaderkop"><w:name w:val="Kader kop" />'
         '<w:basedOn w:val="Normal" /><w:pPr><w:outlineLvl w:val="1" /></w:pPr><w:rPr><w:b /></w:rPr></w:style>')
s = s.replace('</w:styles>', kader + '</w:styles>')
open(p, 'w').write(s)
