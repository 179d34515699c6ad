#!/usr/bin/env python3
"""Integrates the staged curation into /work/main/Evidence, starting from the files at git HEAD of main's
issue14 branch base (EVIDENCE_BASE), so that it can be re-run as staging folders arrive."""
import csv, io, os, re, subprocess, sys, collections

ROOT = '/work/main'
BASE = sys.argv[1] if len(sys.argv) > 1 else 'HEAD'
THEMES = [t for t in ['manual', 'hypoxia', 'licensing', 'culture', 'sources-1', 'sources-2', 'notes', 'gaps'] if os.path.exists(f'/tmp/curation/{t}/comparisons.tsv')]
DROP = {'CS-013','CS-014','CS-015','CS-016','CS-017','CL-008','CC-007','CC-008','CC-009','CC-010','CC-011','CC-012','CC-013','CC-014','CN-011','CC-002','CS-009'}

def git_file(path):
    return subprocess.run(['git','-C',ROOT,'show',f'{BASE}:{path}'],capture_output=True,text=True,check=True).stdout

def parse(text):
    lines = text.rstrip('\n').split('\n')
    header = lines[0].split('\t')
    return header, [dict(zip(header, l.split('\t'))) for l in lines[1:] if l.strip()]

def dump(header, rows):
    return '\t'.join(header) + '\n' + ''.join('\t'.join(r[h] for h in header) + '\n' for r in rows)

ref_header, refs = parse(git_file('Evidence/references.tsv'))
by_key = {r['ref']: r for r in refs}
by_doi = {r['doi'].lower(): r['ref'] for r in refs if r['doi']}
by_pmid = {r['pmid']: r['ref'] for r in refs if r['pmid']}
report = collections.Counter()

def add_reference(row):
    """Returns the key the base uses for this paper (existing or new, renamed on a clash)."""
    doi, pmid = row['doi'].lower(), row['pmid']
    if doi and doi in by_doi: return by_doi[doi]
    if pmid and pmid in by_pmid: return by_pmid[pmid]
    key = row['ref']
    if key in by_key:
        stem = re.sub(r'[b-z]$', '', key) if re.search(r'-\d{4}[b-z]$', key) else key
        for suffix in 'bcdefghij':
            if stem + suffix not in by_key: key = stem + suffix; break
        report['renamed'] += 1
    new = dict(row); new['ref'] = key
    refs.append(new); by_key[key] = new
    if doi: by_doi[doi] = key
    if pmid: by_pmid[pmid] = key
    report['new references'] += 1
    return key

cmp_header, comparisons = parse(git_file('Evidence/comparisons.tsv'))
INVERSE = {'better': 'worse', 'worse': 'better', 'similar': 'similar'}
seen = {(c['ref'], c['source'], c['preconditioning'], c['versus-source'], c['versus-preconditioning'], c['product'], c['measure'], c['level'], c['outcome']): c['id'] for c in comparisons}
replaced = {}
for theme in THEMES:
    rename = {}
    rpath = f'/tmp/curation/{theme}/references.tsv'
    if os.path.exists(rpath):
        _, staged = parse(open(rpath).read())
        for r in staged:
            rename[r['ref']] = add_reference(r)
    _, rows = parse(open(f'/tmp/curation/{theme}/comparisons.tsv').read())
    for c in rows:
        if c['id'] in DROP: report['dropped'] += 1; continue
        c['ref'] = rename.get(c['ref'], c['ref'])
        key = (c['ref'], c['source'], c['preconditioning'], c['versus-source'], c['versus-preconditioning'], c['product'], c['measure'], c['level'], c['outcome'])
        mirror = (c['ref'], c['versus-source'], c['versus-preconditioning'], c['source'], c['preconditioning'], c['product'], c['measure'], c['level'], INVERSE[c['outcome']])
        if key in seen or mirror in seen:
            replaced[c['id']] = seen.get(key) or seen.get(mirror); report['duplicates skipped'] += 1; continue
        seen[key] = c['id']; comparisons.append(c); report[f'rows from {theme}'] += 1

# Eligibility: function rows and references; WF-F029/030 removed.
fn_header, functions = parse(git_file('Evidence/function.tsv'))
functions = [f for f in functions if f['id'] not in {'WF-F029', 'WF-F030'}]
if os.path.exists('/tmp/curation/eligibility/function.tsv'):
    rename = {}
    _, staged = parse(open('/tmp/curation/eligibility/references.tsv').read())
    for r in staged: rename[r['ref']] = add_reference(r)
    _, rows = parse(open('/tmp/curation/eligibility/function.tsv').read())
    for f in rows:
        f['ref'] = rename.get(f['ref'], f['ref']); functions.append(f); report['eligibility rows'] += 1

# Notes: row actions on secretome and function rows.
sec_header, secretome = parse(git_file('Evidence/secretome.tsv'))
actions = []
if os.path.exists('/tmp/curation/notes/row-actions.tsv'):
    _, actions = parse(open('/tmp/curation/notes/row-actions.tsv').read())
deleted = {a['id'] for a in actions if a['action'] == 'delete'}
rewrites = {}
for a in actions:
    if a['action'] == 'rewrite-note':
        m = re.search(r'new note:\s*(.*)$', a['reason'], re.I)
        if m: rewrites[a['id']] = m.group(1).strip()
        else: report['rewrite without parsable note'] += 1
def renamed_ids(note):
    return re.sub(r'\b(C[A-Z]-\d{3})\b', lambda m: replaced.get(m.group(1), m.group(1)), note)
for table in (secretome, functions):
    for r in table:
        if r['id'] in rewrites: r['note'] = renamed_ids(rewrites[r['id']]); report['notes rewritten'] += 1
secretome = [r for r in secretome if r['id'] not in deleted]
functions = [r for r in functions if r['id'] not in deleted]
report['rows deleted'] = len(deleted)

# Authors.
for path in ['/tmp/curation/eligibility/authors.tsv', '/tmp/curation/authors/authors.tsv']:
    if os.path.exists(path):
        _, fixes = parse(open(path).read())
        for fx in fixes:
            if fx['ref'] in by_key and fx['authors'].strip():
                by_key[fx['ref']]['authors'] = fx['authors'].strip(); report['authors fixed'] += 1

# A reference no record cites any more (the systematic review) goes too.
cited = {r['ref'] for t in (secretome, functions, comparisons) for r in t}
_, mechanisms = parse(git_file('Evidence/mechanisms.tsv'))
cited |= {m['ref'] for m in mechanisms}
before = len(refs)
refs = [r for r in refs if r['ref'] in cited]
report['references no longer cited, removed'] = before - len(refs)
refs.sort(key=lambda r: r['ref'])

open(f'{ROOT}/Evidence/references.tsv','w').write(dump(ref_header, refs))
open(f'{ROOT}/Evidence/comparisons.tsv','w').write(dump(cmp_header, comparisons))
open(f'{ROOT}/Evidence/function.tsv','w').write(dump(fn_header, functions))
open(f'{ROOT}/Evidence/secretome.tsv','w').write(dump(sec_header, secretome))
for k, v in sorted(report.items()): print(f'{k}: {v}')
print('duplicates (skipped → kept):', replaced)
print('themes:', THEMES)
