#!/usr/bin/python3
"""Rewrites the generated parts of README.md from the program itself: the rule table (what each
rule says, its severity, seed, what it has and the actions it decides), the "rules that decide
it" column of the action table, and the governs matrix (`partnerpolicy rules --matrix`).
tests/readme_examples_test.cc fails when they are out of date; run this after changing a rule's
metadata or actions.toml.

Usage: tools/update_readme_tables.py [PATH/TO/partnerpolicy]   (default build/test/cli/partnerpolicy)
Run from the repository root.
"""
import json
import re
import subprocess
import sys

P = sys.argv[1] if len(sys.argv) > 1 else "build/test/cli/partnerpolicy"
cat=json.loads(subprocess.run([P,'rules','--format','json'],capture_output=True,text=True).stdout)['catalog']
lines=open('README.md').read().split('\n')
def code(names): return ", ".join(f"`{n}`" for n in names) if names else "—"
# rule table
i=lines.index("| rule id | what it says | severity | seed | has | decides |")
j=i+2
while j<len(lines) and lines[j].startswith('|'): j+=1
rows=[]
for r in sorted(cat,key=lambda r:r['id']):
    has=", ".join([x for x,f in (("check",r['state_check']),("alerts",r['alerts'])) if f]) or "—"
    rows.append(f"| `{r['id']}` | {r['title']} | {r['declared_severity']} | {r['source']['seed'][:3]} | {has} | {code([a['name'] for a in r['actions']])} |")
old=lines[i+2:j]
lines[i+2:j]=rows
# action table
i=lines.index("| action | parameters | rules that decide it | example |")
j=i+2
while j<len(lines) and lines[j].startswith('|'):
    cells=lines[j].split(' | ')
    name=re.match(r"\| `([^`]+)`",lines[j]).group(1)
    dec=[r['id'] for r in cat if name in [a['name'] for a in r['actions']]]
    cells[2]=code(dec)
    lines[j]=' | '.join(cells); j+=1
s='\n'.join(lines)
m=subprocess.run([P,'rules','--matrix'],capture_output=True,text=True).stdout
op="<!-- partnerpolicy rules --matrix -->\n```text\n"
a=s.index(op)+len(op); b=s.index("```\n",a)
s=s[:a]+m+s[b:]
open('README.md','w').write(s)
