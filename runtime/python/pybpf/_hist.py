"""Histogram printing in bcc's format (print_log2_hist, print_linear_hist).

A histogram map has slot keys (int, or a struct whose last integer field is
the slot and whose other fields name a bucket) and count values (per-CPU
counts are summed). Output:

     usecs               : count     distribution
         0 -> 1          : 3        |*****                                   |
         2 -> 3          : 24       |****************************************|
"""

import sys

_STARS = 40


def _stars(val, val_max, width):
    if val_max <= 0 or val <= 0:
        return ""
    n = min(width, width * val // val_max)
    text = "*" * n
    if val > val_max:
        text = text[:-1] + "+"
    return text


def _count(v):
    if isinstance(v, list):
        return sum(_count(x) for x in v)
    if isinstance(v, int):
        return v
    return int.from_bytes(bytes(v), "little")


def _split_key(k):
    """(bucket or None, slot) of a histogram key."""
    if isinstance(k, int):
        return None, k
    names = getattr(k, "_field_names_", None)
    if names:
        slot = getattr(k, names[-1])
        rest = tuple(getattr(k, n) for n in names[:-1])
        bucket = rest[0] if len(rest) == 1 else rest
        return bucket, slot
    return None, int.from_bytes(bytes(k), "little")


def _buckets(m, bucket_fn):
    out = {}
    for k, v in m.items():
        bucket, slot = _split_key(k)
        if bucket_fn and bucket is not None:
            bucket = bucket_fn(bucket)
        counts = out.setdefault(bucket, {})
        counts[slot] = counts.get(slot, 0) + _count(v)
    return out


def _log2_lines(counts, val_type, strip_leading_zero):
    idx_max = max((i for i, c in counts.items() if c > 0), default=-1)
    val_max = max(counts.values(), default=0)
    if idx_max <= 32:
        header = "     %-19s : count     distribution" % val_type
        width, fmt = _STARS, "%10d -> %-10d : %-8d |%-*s|"
    else:
        header = "               %-29s : count     distribution" % val_type
        width, fmt = _STARS // 2, "%20d -> %-20d : %-8d |%-*s|"
    lines = []
    if idx_max > 0:
        lines.append(header)
    started = not strip_leading_zero
    for i in range(1, idx_max + 1):
        low, high = (1 << i) >> 1, (1 << i) - 1
        if low == high:
            low -= 1
        val = counts.get(i, 0)
        if not started and not val:
            continue
        started = True
        lines.append(fmt % (low, high, val, width, _stars(val, val_max, width)))
    return lines


def _linear_lines(counts, val_type):
    if not counts:
        return []
    idx_max = max((i for i, c in counts.items() if c > 0), default=-1)
    val_max = max(counts.values(), default=0)
    lines = ["     %-13s : count     distribution" % val_type]
    for i in range(0, idx_max + 1):
        val = counts.get(i, 0)
        lines.append("        %-10d : %-8d |%-*s|" % (i, val, _STARS,
                                                     _stars(val, val_max, _STARS)))
    return lines


def _print_buckets(m, val_type, section_header, section_print_fn, bucket_fn, file, make):
    file = file or sys.stdout
    buckets = _buckets(m, bucket_fn)
    for bucket in sorted(buckets, key=lambda b: (b is not None, b)):
        if bucket is not None:
            shown = section_print_fn(bucket) if section_print_fn else bucket
            if isinstance(shown, bytes):
                shown = shown.decode(errors="replace")
            print("\n%s = %s" % (section_header, shown), file=file)
        for line in make(buckets[bucket]):
            print(line, file=file)


def print_log2_hist(m, val_type="value", section_header="Bucket ptr", section_print_fn=None,
                    bucket_fn=None, strip_leading_zero=False, file=None):
    _print_buckets(m, val_type, section_header, section_print_fn, bucket_fn, file,
                   lambda c: _log2_lines(c, val_type, strip_leading_zero))


def print_linear_hist(m, val_type="value", section_header="Bucket ptr", section_print_fn=None,
                      bucket_fn=None, file=None):
    _print_buckets(m, val_type, section_header, section_print_fn, bucket_fn, file,
                   lambda c: _linear_lines(c, val_type))
