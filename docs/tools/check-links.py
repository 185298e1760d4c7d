#!/usr/bin/env python3
"""Checks every relative link and anchor in README.md, ARCHITECTURE.md, CONTRIBUTING.md, docs/ and
examples/*/README.md, with GitHub's heading-anchor rules. Usage: python3 docs/tools/check-links.py [repo root]"""
import os, re, sys, glob, urllib.parse

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
files = [os.path.join(root, f) for f in ['README.md', 'ARCHITECTURE.md', 'CONTRIBUTING.md']]
files += glob.glob(os.path.join(root, 'docs', '**', '*.md'), recursive=True)
files += glob.glob(os.path.join(root, 'examples', '*', 'README.md'))

def strip_code(text):
    return re.sub(r'^```.*?^```', '', text, flags=re.S | re.M)

def slug(heading):
    h = heading.strip().lower()
    h = re.sub(r'[^\w\- ]', '', h)   # keeps letters, digits, _, -, space
    return h.replace(' ', '-')

def anchors(path):
    text = strip_code(open(path, encoding='utf-8').read())
    seen, out = {}, set()
    for m in re.finditer(r'^#{1,6}\s+(.*?)\s*#*\s*$', text, re.M):
        s = slug(m.group(1))
        n = seen.get(s, 0)
        out.add(s if n == 0 else f'{s}-{n}')
        seen[s] = n + 1
    for m in re.finditer(r'<a\s+(?:name|id)="([^"]+)"', text):
        out.add(m.group(1))
    return out

cache, bad, count = {}, 0, 0
for f in files:
    text = strip_code(open(f, encoding='utf-8').read())
    text = re.sub(r'`[^`\n]*`', '', text)          # inline code is not a link
    for m in re.finditer(r'!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)', text):
        target = m.group(1)
        if re.match(r'^[a-z]+:', target):          # http:, https:, mailto:
            continue
        count += 1
        path, _, frag = target.partition('#')
        dest = os.path.normpath(os.path.join(os.path.dirname(f), urllib.parse.unquote(path))) if path else f
        rel = os.path.relpath(f, root)
        if not os.path.exists(dest):
            print(f'{rel}: missing file {target}'); bad += 1; continue
        if frag:
            if not dest.endswith('.md'):
                print(f'{rel}: anchor on non-Markdown {target}'); bad += 1; continue
            if dest not in cache:
                cache[dest] = anchors(dest)
            if frag not in cache[dest]:
                print(f'{rel}: missing anchor {target}'); bad += 1
print(f'{count} relative links in {len(files)} files, {bad} broken')
sys.exit(1 if bad else 0)
