"""Every relative link of the README and of docs/ leads somewhere: the file
exists, and an anchor matches a heading of the page it points to (GitHub's
slugs)."""
import glob
import os.path as osp
import re
from typing import Dict, List, Set

import pytest

from ..paths import REPO_ROOT

FENCE = re.compile(r'^\s*(```|~~~)')
HEADING = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')
# [text](target) and ![alt](target); the target ends at a space or ')'
LINK = re.compile(r'!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?'
                  r'(?:\s+"[^"]*")?\s*\)')
CODE_SPAN = re.compile(r'(`+).+?\1')


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text (no markup) lowercased,
    everything but letters, digits, '_', '-' and spaces removed, each
    space a '-'."""
    text = re.sub(r'!?\[([^\]]*)\]\([^)]*\)', r'\1', heading)  # links
    text = text.replace('`', '').replace('*', '')
    text = re.sub(r'(?<!\w)_+|_+(?!\w)', '', text)  # _emphasis_
    text = re.sub(r'<[^>]+>', '', text).strip().lower()
    return re.sub(r'[^\w\- ]', '', text).replace(' ', '-')


def _prose_lines(text: str) -> List[str]:
    """The lines outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def anchors(text: str) -> Set[str]:
    """The anchors of a page's headings, repeated ones numbered as GitHub
    numbers them ('-1', '-2', ...)."""
    seen: Dict[str, int] = {}
    found = set()
    for line in _prose_lines(text):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f'{base}-{count}')
    return found


def links(text: str) -> List[str]:
    """The link targets of a page, outside code."""
    return [
        target for line in _prose_lines(text)
        for target in LINK.findall(CODE_SPAN.sub('', line))
    ]


def broken_links(pages: List[str]) -> List[str]:
    """'page: target (why)' for every relative link of ``pages`` that does
    not resolve."""
    problems = []
    for page in pages:
        with open(page, encoding='utf-8') as f:
            text = f.read()
        for target in links(text):
            if re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I):
                continue  # http:, https:, mailto:
            path, _, anchor = target.partition('#')
            where = osp.normpath(osp.join(osp.dirname(page), path)) \
                if path else page
            if not osp.exists(where):
                problems.append(f'{page}: {target} (no such file)')
                continue
            if not anchor:
                continue
            if not where.endswith('.md') or osp.isdir(where):
                problems.append(f'{page}: {target} (an anchor into a file '
                                'that is not a markdown page)')
                continue
            with open(where, encoding='utf-8') as f:
                if anchor not in anchors(f.read()):
                    problems.append(f'{page}: {target} (no heading with the '
                                    f'anchor #{anchor})')
    return problems


def repository_pages() -> List[str]:
    pages = [osp.join(REPO_ROOT, 'README.md')]
    pages += sorted(
        glob.glob(osp.join(REPO_ROOT, 'docs', '**', '*.md'), recursive=True))
    return pages


@pytest.mark.parametrize(
    'heading, expected',
    [('A NaN or infinite loss', 'a-nan-or-infinite-loss'),
     ('Results at 214x120, 3 seeds (2026-12-01)',
      'results-at-214x120-3-seeds-2026-12-01'),
     ('`make demo`: what it prints', 'make-demo-what-it-prints'),
     ('Mix the losses into *your* config', 'mix-the-losses-into-your-config'),
     ('Run [a model](x.md) on your_video', 'run-a-model-on-your_video'),
     ('How fast are the losses?', 'how-fast-are-the-losses'),
     ('mask AP ± std', 'mask-ap--std')])
def test_slugs_are_githubs(heading, expected):
    assert slug(heading) == expected


def test_the_checker_finds_what_is_broken(tmp_path):
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'sub' / 'other.md').write_text(
        '# Other page\n\n## Twice\n\n## Twice\n\n## The demo: `make demo`\n'
        '\n```\n# not a heading\n```\n')
    (tmp_path / 'picture.jpg').write_bytes(b'')
    page = tmp_path / 'page.md'
    page.write_text(
        '# Top\n\n'
        '[fine](sub/other.md) [fine](sub/other.md#other-page) '
        '[fine](#top) [fine](sub/other.md#twice-1) ![fine](picture.jpg) '
        '[fine](sub/other.md#the-demo-make-demo) '
        '[fine](https://example.com/x.md#nowhere)\n'
        '[gone](sub/missing.md) [bad](sub/other.md#twice-2) [bad](#nowhere) '
        '[bad](picture.jpg#x) [bad](sub/other.md#not-a-heading)\n\n'
        '```\n[in code](not/checked.md)\n```\n'
        '`[inline code](not/checked.md)`\n')
    problems = broken_links([str(page)])
    assert [p.split(': ', 1)[1].split(' (')[0] for p in problems] == [
        'sub/missing.md', 'sub/other.md#twice-2', '#nowhere', 'picture.jpg#x',
        'sub/other.md#not-a-heading'
    ]


def test_every_relative_link_and_anchor_resolves():
    pages = repository_pages()
    assert len(pages) > 3
    problems = broken_links(pages)
    assert not problems, '\n'.join(osp.relpath(p, REPO_ROOT) for p in problems)
