#!/usr/bin/python3
"""Checks that the parser's grammar comments match grammar/python.gram.

    grammar_sync.py [--fix] GRAMMAR COMPILER_DIR

Every parse function in COMPILER_DIR/parse*.c carries, directly above it,
the grammar rule it implements in a comment of this exact form:

    /* rule:
     * name:
     *     | alternative
     *     | alternative
     */

(or `/* rule: name: alternative */` on one line when it is short). Several
rule comments may be stacked above one function that implements them all.
The check, for each such comment:
  - the rule exists in GRAMMAR and the comment's text equals the rule's
    text there (compared with runs of whitespace collapsed);
  - the comment is followed, after any further rule comments, by a function
    definition named after one of its rules: `rule`, `parse_rule`,
    `rule_rule` or `parse_rule_rule` (CPython's generated parser names its
    functions `rule_rule`, which also serves `default`, a C keyword).
It also lists the grammar rules that no comment mentions (not an error:
some rules are folded into their callers, such as the `_loop` helpers).

--fix rewrites each comment from the grammar: a comment may be written as
`/* rule: name */` and --fix fills in the text. Ends with "N passed, N failed".
"""
import os
import re
import sys

RULE_HEAD = re.compile(r"^([A-Za-z_]\w*)(\s*\(memo\))?:")
COMMENT = re.compile(r"/\* rule:(.*?)\*/", re.S)
FUNC = re.compile(r"^(?:static\s+)?[A-Za-z_][\w\s\*]*?\b([A-Za-z_]\w*)\s*\([^;]*$")


def norm(text):
    return " ".join(text.split())


def read_grammar(path):
    """{name: [lines of the rule as written]}"""
    rules, current = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            current = None
            continue
        if line.lstrip().startswith("#"):
            continue
        m = RULE_HEAD.match(line)
        if m:
            current = m.group(1)
            rules[current] = [line.rstrip()]
        elif current and line[0] in " \t":
            rules[current].append(line.rstrip())
    return rules


def comment_text(body):
    """The rule text inside a /* rule: ... */ comment."""
    lines = []
    for line in body.split("\n"):
        line = re.sub(r"^\s*\*( |$)", "", line)
        lines.append(line)
    return "\n".join(lines).strip()


def render(lines, indent):
    one = "/* rule: " + " ".join(l.strip() for l in lines) + " */"
    if len(lines) == 1 and len(one) + indent <= 100:
        return one
    out = ["/* rule:"]
    out += [" * " + l for l in lines]
    out.append(" */")
    return "\n".join(out)


def allowed_names(rule):
    return {rule, "parse_" + rule, rule + "_rule", "parse_" + rule + "_rule"}


def check_file(path, rules, fix, mentioned, problems):
    src = open(path, encoding="utf-8").read()
    if fix:
        def repl(m):
            text = comment_text(m.group(1))
            name = RULE_HEAD.match(text)
            name = name.group(1) if name else text.split()[0].rstrip(":")
            if name not in rules:
                return m.group(0)
            return render(rules[name], 0)
        new = COMMENT.sub(repl, src)
        if new != src:
            open(path, "w", encoding="utf-8").write(new)
            src = new
    count = 0
    group = []  # consecutive rule comments above one function: (where, name)
    for m in COMMENT.finditer(src):
        count += 1
        line_no = src.count("\n", 0, m.start()) + 1
        where = "%s:%d" % (os.path.relpath(path), line_no)
        text = comment_text(m.group(1))
        head = RULE_HEAD.match(text)
        if not head:
            problems.append("%s: rule comment does not start with `name:`" % where)
            continue
        name = head.group(1)
        mentioned.add(name)
        if name not in rules:
            problems.append("%s: rule '%s' is not in the grammar" % (where, name))
        elif norm(text) != norm("\n".join(rules[name])):
            problems.append("%s: comment of rule '%s' differs from the grammar "
                            "(run grammar_sync.py --fix)" % (where, name))
        group.append((where, name))
        # what follows: another rule comment (same group), or the function
        rest = src[m.end():].lstrip()
        if COMMENT.match(rest):
            continue
        while rest.startswith("/*"):
            rest = rest[rest.find("*/") + 2:].lstrip()
        first_line = rest.split("\n", 1)[0]
        f = FUNC.match(first_line)
        names = [n for _, n in group]
        if not f:
            problems.append("%s: rule '%s' is not directly above a function"
                            % (group[0][0], names[0]))
        elif not any(f.group(1) in allowed_names(n) for n in names):
            problems.append("%s: function '%s' is not named after rule '%s'"
                            % (group[0][0], f.group(1), "' or '".join(names)))
        group = []
    return count


def main(argv):
    fix = "--fix" in argv
    args = [a for a in argv[1:] if a != "--fix"]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    grammar, cdir = args
    rules = read_grammar(grammar)
    problems, mentioned = [], set()
    total = 0
    for name in sorted(os.listdir(cdir)):
        if name.startswith("parse") and name.endswith(".c"):
            total += check_file(os.path.join(cdir, name), rules, fix, mentioned, problems)
    for p in problems:
        print("FAIL " + p)
    unused = sorted(set(rules) - mentioned)
    if unused:
        print("note: grammar rules with no parse function of their own: " + ", ".join(unused))
    print("%d passed, %d failed" % (total - len(problems), len(problems)))
    return 1 if problems or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
