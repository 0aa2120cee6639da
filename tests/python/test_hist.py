"""print_log2_hist / print_linear_hist output, in bcc's format, from a
stand-in map (the histogram code only reads items())."""

import io
import unittest

from pytest_common import main

from pybpf._hist import print_linear_hist, print_log2_hist


class FakeMap:
    def __init__(self, items):
        self._items = items

    def items(self):
        return list(self._items.items())


class HistTests(unittest.TestCase):
    def test_log2(self):
        out = io.StringIO()
        # slot i counts values in [2^(i-1), 2^i - 1]; per-CPU lists are summed
        print_log2_hist(FakeMap({1: 2, 2: [3, 1], 4: 8}), "usecs", file=out)
        expected = [
            "     usecs               : count     distribution",
            "         0 -> 1          : 2        |**********                              |",
            "         2 -> 3          : 4        |********************                    |",
            "         4 -> 7          : 0        |                                        |",
            "         8 -> 15         : 8        |****************************************|",
        ]
        self.assertEqual(out.getvalue().splitlines(), expected)

    def test_log2_strip_leading_zero(self):
        out = io.StringIO()
        print_log2_hist(FakeMap({3: 1}), strip_leading_zero=True, file=out)
        self.assertEqual(out.getvalue().splitlines(), [
            "     value               : count     distribution",
            "         4 -> 7          : 1        |****************************************|",
        ])

    def test_empty(self):
        out = io.StringIO()
        print_log2_hist(FakeMap({}), file=out)
        self.assertEqual(out.getvalue(), "")

    def test_linear(self):
        out = io.StringIO()
        print_linear_hist(FakeMap({0: 1, 2: 2}), "ms", file=out)
        self.assertEqual(out.getvalue().splitlines(), [
            "     ms            : count     distribution",
            "        0          : 1        |********************                    |",
            "        1          : 0        |                                        |",
            "        2          : 2        |****************************************|",
        ])


if __name__ == "__main__":
    main()
