"""Kernel types as ctypes, built on demand from the kernel's BTF.

This is what the top-level ``vmlinux`` module is made of (see its docstring
for the names it gives). libpybpf reads the BTF (kbtf.c): it finds names,
describes one type at a time (nested structs by id) and lists enum
constants; here the descriptions become ctypes classes, cached by type id,
so every name for a type gives the same class.

Layout: every struct is laid out exactly as the BTF says (``_pack_ = 1`` and
explicit padding), so ``ctypes.sizeof`` and the fields' ``offset`` are the
kernel's. Anonymous struct/union members are ``_anonymous_``, so their
fields read as the outer struct's (as in C). Bitfields are ctypes bitfields
on a storage unit placed at the right byte; a bitfield that no 1/2/4/8-byte
unit can hold there is left out (listed in ``_skipped_``). Pointers are
``c_void_p`` (a kernel address means nothing in user space); the pointee's
type id is in ``_pointers_[field]``. Arrays are ctypes arrays (flexible and
zero-length ones have length 0).
"""

import ctypes
import json

from ._btf import _Readable, _array_repr

_INT_TYPES = {
    (1, False): ctypes.c_uint8, (1, True): ctypes.c_int8,
    (2, False): ctypes.c_uint16, (2, True): ctypes.c_int16,
    (4, False): ctypes.c_uint32, (4, True): ctypes.c_int32,
    (8, False): ctypes.c_uint64, (8, True): ctypes.c_int64,
}
_FLOAT_TYPES = {4: ctypes.c_float, 8: ctypes.c_double}
_KIND_PREFIX = {"struct": "struct_", "union": "union_", "enum": "enum_"}


def _int_type(size, signed):
    return _INT_TYPES.get((size, bool(signed)))


def _kfunc_stub(name):
    """A kfunc (kernel function exported to BPF): callable only in BPF code."""
    from .dialect import bpf_only

    def kfunc(*args, **kwargs):
        bpf_only(f"kfunc '{name}()'")
    kfunc.__name__ = kfunc.__qualname__ = name
    kfunc.__doc__ = f"kfunc {name}() of the kernel's BTF (callable in BPF code)"
    kfunc.__module__ = "vmlinux"
    return kfunc


class KernelTypes:
    """The types of one BTF (a capsule from _pybpf.btf_open)."""

    def __init__(self, native, btf):
        self._n = native
        self._btf = btf
        self._by_id = {}
        self._enums = None

    # ---- names ----

    def lookup(self, name):
        """The ctypes type or int a vmlinux name stands for; KeyError if none."""
        tid = self._n.btf_find(self._btf, name)
        if tid:
            return self.type_by_id(tid, name)
        value = self._n.btf_enum_value(self._btf, name)
        if value is not None:
            return value
        if self._n.btf_find_kfunc(self._btf, name) > 0:
            return _kfunc_stub(name)
        raise KeyError(name)

    def is_kernel_function(self, name):
        """Whether name is a kernel function that is not a kfunc."""
        return self._n.btf_find_kfunc(self._btf, name) < 0

    def suggest(self, name):
        return self._n.btf_suggest(self._btf, name)

    def enum_constants(self):
        """Every enum constant, {name: value} (the first enum wins)."""
        if self._enums is None:
            pairs = json.loads(self._n.btf_enum_constants(self._btf),
                               object_pairs_hook=lambda kv: kv)
            enums = {}
            for k, v in pairs:
                enums.setdefault(k, v)
            self._enums = enums
        return self._enums

    # ---- types ----

    def describe(self, tid):
        return json.loads(self._n.btf_describe(self._btf, tid))

    def type_by_id(self, tid, name=None):
        d = self.describe(tid)
        if d["kind"] in ("struct", "union"):
            return self._record(d, name)
        if d["kind"] == "enum":
            return self._enum(d, name)
        return self.ctype(d)

    def _enum(self, d, name):
        key = ("enum", d.get("name"), json.dumps(d["values"], sort_keys=True))
        if key not in self._by_id:
            base = _int_type(d["size"], d.get("signed")) or ctypes.c_uint32
            attrs = dict(d["values"])
            attrs["_values_"] = dict(d["values"])
            attrs["_btf_name_"] = d.get("name") or ""
            attrs["__module__"] = "vmlinux"
            pyname = "enum_" + d["name"] if d.get("name") else (name or "anon_enum")
            self._by_id[key] = type(pyname, (base,), attrs)
        return self._by_id[key]

    def ctype(self, d):
        """The ctypes type of a member description."""
        kind = d["kind"]
        size = d.get("size", 0)
        if kind == "int":
            if d.get("bool") and size == 1:
                return ctypes.c_bool
            if d.get("char") and size == 1:
                return ctypes.c_char
            return _int_type(size, d.get("signed")) or ctypes.c_uint8 * size
        if kind == "enum":
            return _int_type(size, d.get("signed")) or ctypes.c_uint8 * size
        if kind == "float":
            return _FLOAT_TYPES.get(size) or ctypes.c_uint8 * size
        if kind == "ptr":
            if size == ctypes.sizeof(ctypes.c_void_p):
                return ctypes.c_void_p
            return _int_type(size, False) or ctypes.c_uint8 * size
        if kind == "array":
            elem = self.ctype(d["elem"])
            cls = elem * d["len"]
            if elem is not ctypes.c_char:
                cls.__repr__ = _array_repr
            return cls
        if kind in ("struct", "union"):
            return self._by_id.get(d["id"]) or self._record(self.describe(d["id"]))
        return ctypes.c_uint8 * max(size, 0)

    def _record(self, d, name=None):
        """The class of a struct or union: declared first (cached), then laid out."""
        tid = d["id"]
        if tid in self._by_id:
            return self._by_id[tid]
        is_union = d["kind"] == "union"
        if d.get("name"):
            pyname = _KIND_PREFIX[d["kind"]] + d["name"]
        else:
            pyname = name or ("anon_union" if is_union else "anon_struct")
        cls = type(pyname, (_Readable, ctypes.Union if is_union else ctypes.Structure), {
            "_pack_": 1,
            "_btf_name_": d.get("name") or "",
            "_btf_id_": tid,
            "__module__": "vmlinux",
        })
        self._by_id[tid] = cls
        try:
            layout = (self._union_layout if is_union else self._struct_layout)(d)
        except Exception:
            del self._by_id[tid]
            raise
        fields, names, anonymous, skipped, pointers = layout
        cls._field_names_ = tuple(names)
        cls._skipped_ = tuple(skipped)
        cls._pointers_ = pointers
        if anonymous:
            cls._anonymous_ = anonymous
        cls._fields_ = fields
        if ctypes.sizeof(cls) != d["size"]:
            raise ValueError("layout of %s (%d bytes) does not match its BTF (%d bytes)"
                             % (pyname, ctypes.sizeof(cls), d["size"]))
        return cls

    def _member(self, m, index, names, anonymous, pointers):
        name = m.get("name")
        if not name:
            name = "_anon%d" % index
            anonymous.append(name)
        else:
            names.append(name)
        if m["type"]["kind"] == "ptr":
            pointers[name] = m["type"].get("target", 0)
        return name

    def _union_layout(self, d):
        fields, names, anonymous, skipped, pointers = [], [], [], [], {}
        for i, m in enumerate(d["members"]):
            if m.get("bitfield"):
                bits = m["bitfield"]
                t = _int_type(self._unit_size(m, bits), m["type"].get("signed"))
                if m.get("bit_offset", 0) != 0 or t is None:
                    skipped.append(m.get("name") or "")
                    continue
                fields.append((self._member(m, i, names, anonymous, pointers), t, bits))
                continue
            t = self.ctype(m["type"])
            fields.append((self._member(m, i, names, anonymous, pointers), t))
        fields.append(("_size", ctypes.c_uint8 * d["size"]))
        return fields, names, anonymous, skipped, pointers

    @staticmethod
    def _unit_size(m, bits):
        size = m["type"].get("size", 4)
        while size < 8 and size * 8 < bits:
            size *= 2
        return size

    def _struct_layout(self, d):
        fields, names, anonymous, skipped, pointers = [], [], [], [], {}
        size = d["size"]
        members = d["members"]
        pos = 0  # bytes laid out so far
        npad = [0]

        def pad(to):
            nonlocal pos
            if to > pos:
                fields.append(("_pad%d" % npad[0], ctypes.c_uint8 * (to - pos)))
                npad[0] += 1
                pos = to

        i = 0
        while i < len(members):
            m = members[i]
            if not m.get("bitfield"):
                t = self.ctype(m["type"])
                if m["offset"] < pos:
                    skipped.append(m.get("name") or "")
                else:
                    pad(m["offset"])
                    fields.append((self._member(m, i, names, anonymous, pointers), t))
                    pos += ctypes.sizeof(t)
                i += 1
                continue
            # a run of bitfields, up to the next plain member (or the end)
            j = i
            while j < len(members) and members[j].get("bitfield"):
                j += 1
            limit = members[j]["offset"] if j < len(members) else size
            k = i
            while k < j:
                first = members[k]
                start = max(pos, first["bit_offset"] // 8)
                # the unit (1, 2, 4 or 8 bytes at `start`, not past `limit`)
                # holding the most of the run's next bitfields; the smallest such
                unit, most = None, 0
                for s in (1, 2, 4, 8):
                    if start + s > limit:
                        break
                    n = 0
                    while (k + n < j and members[k + n]["bit_offset"] >= start * 8
                           and members[k + n]["bit_offset"] + members[k + n]["bitfield"]
                           <= (start + s) * 8):
                        n += 1
                    if n > most:
                        unit, most = s, n
                if unit is None:
                    skipped.append(first.get("name") or "")
                    k += 1
                    continue
                pad(start)
                bit = start * 8
                end = (start + unit) * 8
                while k < j:
                    b = members[k]
                    if b["bit_offset"] < bit or b["bit_offset"] + b["bitfield"] > end:
                        break
                    if b["bit_offset"] > bit:
                        fields.append(("_pad%d" % npad[0], _int_type(unit, False),
                                       b["bit_offset"] - bit))
                        npad[0] += 1
                    t = _int_type(unit, b["type"].get("signed"))
                    fields.append((self._member(b, k, names, anonymous, pointers), t,
                                   b["bitfield"]))
                    bit = b["bit_offset"] + b["bitfield"]
                    k += 1
                if bit < end:
                    fields.append(("_pad%d" % npad[0], _int_type(unit, False), end - bit))
                    npad[0] += 1
                pos = start + unit
            i = j
        pad(size)
        return fields, names, anonymous, skipped, pointers


def builtin_names():
    """The typedef names `from vmlinux import *` gives besides enum constants."""
    names = []
    for bits in (8, 16, 32, 64):
        for p in ("u", "s", "__u", "__s"):
            names.append("%s%d" % (p, bits))
    for bits in (16, 32, 64):
        names += ["__be%d" % bits, "__le%d" % bits]
    return names
