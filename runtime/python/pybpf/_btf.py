"""Python types for BTF types: how keys, values, events and globals decode.

libpybpf describes a BTF type as JSON (pybpf_btf__describe); this module turns
that description into a *codec*: an integer, a float, a NUL-terminated string,
raw bytes, or a ctypes class generated for a struct, union or array (cached
per object and type id, so the same struct always gives the same class).
Generated structs print as ``name(field=value, ...)``, compare by value, and
have ``_asdict()``.
"""

import ctypes
import json

# Codec kinds, as py_map.c numbers them.
CODEC_BYTES, CODEC_INT, CODEC_FLOAT, CODEC_STR, CODEC_CTYPE = range(5)

_INT_TYPES = {
    (1, False): ctypes.c_uint8, (1, True): ctypes.c_int8,
    (2, False): ctypes.c_uint16, (2, True): ctypes.c_int16,
    (4, False): ctypes.c_uint32, (4, True): ctypes.c_int32,
    (8, False): ctypes.c_uint64, (8, True): ctypes.c_int64,
}
_FLOAT_TYPES = {4: ctypes.c_float, 8: ctypes.c_double}


def _value_of(v):
    """A ctypes field value as plain Python (arrays as lists)."""
    if isinstance(v, ctypes.Array):
        if v._type_ is ctypes.c_char:
            return v.value
        return [_value_of(x) for x in v]
    if isinstance(v, (ctypes.Structure, ctypes.Union)):
        return v._asdict() if hasattr(v, "_asdict") else bytes(v)
    return v


class _Readable:
    """Mixin of the generated struct/union classes."""

    _btf_name_ = ""

    def _asdict(self):
        return {n: _value_of(getattr(self, n)) for n in self._field_names_}

    def __repr__(self):
        inner = ", ".join("%s=%r" % (n, getattr(self, n)) for n in self._field_names_)
        return "%s(%s)" % (self._btf_name_ or type(self).__name__, inner)

    def __eq__(self, other):
        if type(other) is type(self):
            return bytes(self) == bytes(other)
        return NotImplemented

    def __hash__(self):
        return hash(bytes(self))


def _array_repr(self):
    return repr(_value_of(self))


class TypeBuilder:
    """Builds codecs and ctypes classes for the types of one object's BTF."""

    def __init__(self, describe):
        self._describe = describe  # type_id -> JSON text
        self._cache = {}

    def description(self, type_id):
        return json.loads(self._describe(type_id))

    def codec(self, type_id):
        """(kind, signed, cls) for a type id; bytes when 0 or unknown."""
        if not type_id:
            return (CODEC_BYTES, False, None)
        key = ("codec", type_id)
        if key not in self._cache:
            try:
                self._cache[key] = self._codec_of(self.description(type_id))
            except (ValueError, KeyError, TypeError):
                self._cache[key] = (CODEC_BYTES, False, None)
        return self._cache[key]

    def decoder(self, type_id):
        """A function bytes -> Python value for records of this type."""
        kind, signed, cls = self.codec(type_id)
        if kind == CODEC_INT:
            return lambda b: int.from_bytes(b[: self._size(type_id)], "little", signed=signed)
        if kind == CODEC_FLOAT:
            fmt = ctypes.c_float if self._size(type_id) == 4 else ctypes.c_double
            return lambda b: fmt.from_buffer_copy(b[: ctypes.sizeof(fmt)]).value
        if kind == CODEC_STR:
            return lambda b: bytes(b).split(b"\0", 1)[0]
        if kind == CODEC_CTYPE:
            size = ctypes.sizeof(cls)
            return lambda b: cls.from_buffer_copy(b if len(b) >= size else b.ljust(size, b"\0"))
        return None

    def _size(self, type_id):
        return self.description(type_id).get("size", 0)

    def _codec_of(self, d):
        kind = d["kind"]
        if kind in ("int", "enum", "ptr") and d["size"] in (1, 2, 4, 8):
            if kind == "int" and d.get("char") and d["size"] == 1:
                return (CODEC_INT, bool(d.get("signed")), None)
            return (CODEC_INT, bool(d.get("signed")), None)
        if kind == "float" and d["size"] in (4, 8):
            return (CODEC_FLOAT, True, None)
        if kind == "array" and self._is_char(d["elem"]):
            return (CODEC_STR, False, None)
        if kind in ("struct", "union", "array"):
            return (CODEC_CTYPE, False, self.ctype(d))
        return (CODEC_BYTES, False, None)

    @staticmethod
    def _is_char(d):
        return d.get("kind") == "int" and d.get("size") == 1 and (
            d.get("char") or "char" in d.get("name", ""))

    def ctype(self, d):
        """The ctypes type of a description (cached for named structs)."""
        kind = d["kind"]
        if kind in ("int", "enum", "ptr"):
            if kind == "int" and d.get("bool") and d["size"] == 1:
                return ctypes.c_bool
            if self._is_char(d):
                return ctypes.c_char
            t = _INT_TYPES.get((d["size"], bool(d.get("signed"))))
            if t is None:
                return ctypes.c_uint8 * d["size"]
            return t
        if kind == "float":
            return _FLOAT_TYPES.get(d["size"], ctypes.c_uint8 * d["size"])
        if kind == "array":
            elem = self.ctype(d["elem"])
            cls = elem * d["len"]
            if elem is not ctypes.c_char:
                cls.__repr__ = _array_repr
            return cls
        if kind in ("struct", "union"):
            key = ("struct", json.dumps(d, sort_keys=True))
            if key not in self._cache:
                self._cache[key] = self._record(d)
            return self._cache[key]
        return ctypes.c_uint8 * max(d.get("size", 0), 0)

    def _record(self, d):
        """A ctypes Structure/Union laid out exactly as the BTF says."""
        is_union = d["kind"] == "union"
        base = ctypes.Union if is_union else ctypes.Structure
        fields, names, pos, npad = [], [], 0, 0
        for m in d.get("members", []):
            name = m.get("name") or "_anon%d" % len(fields)
            t = self.ctype(m["type"])
            if m.get("bitfield"):
                # Bitfields: expose the storage bytes under the name; decode by hand.
                continue
            off = m["offset"]
            if not is_union and off > pos:
                fields.append(("_pad%d" % npad, ctypes.c_uint8 * (off - pos)))
                npad += 1
            elif not is_union and off < pos:
                continue  # overlapping (should not happen without bitfields)
            fields.append((name, t))
            names.append(name)
            pos = max(pos, off + ctypes.sizeof(t)) if not is_union else max(pos, ctypes.sizeof(t))
        size = d["size"]
        if pos < size:
            fields.append(("_pad%d" % npad, ctypes.c_uint8 * (size - pos)))
        pyname = d.get("name") or ("anon_union" if is_union else "anon_struct")
        cls = type(pyname, (_Readable, base), {
            "_pack_": 1,
            "_fields_": fields,
            "_field_names_": tuple(names),
            "_btf_name_": d.get("name") or "",
        })
        if ctypes.sizeof(cls) != size:
            raise ValueError("layout of %s does not match its BTF" % pyname)
        return cls
