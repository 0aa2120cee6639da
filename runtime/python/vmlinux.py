"""The running kernel's types, read from its BTF on demand.

pythonbpf makes its users generate a ``vmlinux.py`` for their kernel; with
pybpf, ``from vmlinux import struct_xdp_md, XDP_PASS`` works under CPython
without one: every name is looked up in the kernel's BTF the first time it
is used (``/sys/kernel/btf/vmlinux``, or the file named by the
PYBPF_VMLINUX_BTF environment variable) and cached.

Names:
  struct_<name>, union_<name>  a ctypes.Structure / ctypes.Union laid out as
                               the kernel's (size, offsets, nested types,
                               bitfields, anonymous members); see
                               pybpf._vmlinux for the details
  enum_<name>                  a ctypes integer type of the enum's size,
                               with the constants as class attributes
  <name>                       a plain name: a typedef (u32, __u64, pid_t:
                               the ctypes type beneath it), else a struct,
                               union or enum of that name (task_struct is
                               struct_task_struct), else an enum constant
  <CONSTANT>                   enum constants (XDP_PASS, BPF_ANY) are ints
  <kfunc>                      kernel functions exported to BPF (tagged
                               bpf_kfunc: bpf_task_from_pid): functions
                               callable only in BPF code (BpfOnlyError here)

The same kernel type always gives the same class. An unknown name raises
AttributeError (ImportError in ``from vmlinux import ...``) with a "did you
mean" suggestion when a known name is close.

``from vmlinux import *`` imports every enum constant of the kernel and the
fixed-width integer typedefs (u8..u64, s8..s64, __u8..__u64, __s8..__s64,
__be16..__be64, __le16..__le64), not the structs: there are tens of
thousands of those; import them by name.

Reading the BTF needs read access to the file (/sys/kernel/btf/vmlinux is
readable by everyone on most systems); when it cannot be read, every lookup
raises ImportError saying why.
"""

import sys as _sys

_types = None
_error = None


def _kernel_types():
    global _types, _error
    if _types is None and _error is None:
        try:
            from pybpf import _pybpf
            from pybpf._vmlinux import KernelTypes
            _types = KernelTypes(_pybpf, _pybpf.btf_open(None))
        except (ImportError, OSError) as e:
            _error = e
    if _types is None:
        raise ImportError("vmlinux: cannot read the kernel's BTF: %s" % (_error,),
                          name=__name__) from _error
    return _types


def _importing_from(depth):
    """True when the caller `depth` frames up is running `from vmlinux import x`."""
    try:
        import dis
        f = _sys._getframe(depth + 1)
        code = f.f_code.co_code
        return code[f.f_lasti] == dis.opmap["IMPORT_FROM"]
    except (ValueError, IndexError, AttributeError, KeyError):
        return False


def __getattr__(name):
    if name.startswith("__") and name.endswith("__"):
        if name == "__all__":
            return _star_names()
        raise AttributeError("module 'vmlinux' has no attribute %r" % name)
    types = _kernel_types()
    try:
        value = types.lookup(name)
    except KeyError:
        hint = types.suggest(name)
        msg = "the kernel's BTF has no type or enum constant %r" % name
        if types.is_kernel_function(name):
            msg = ("%r is a kernel function but not a kfunc (BPF programs call only "
                   "the functions the kernel exports to them)" % name)
            hint = None
        if hint:
            msg += "; did you mean %r?" % hint
        if _importing_from(1):
            raise ImportError(msg, name=__name__) from None
        raise AttributeError(msg) from None
    globals()[name] = value
    return value


def _star_names():
    from pybpf._vmlinux import builtin_names
    types = _kernel_types()
    names = list(types.enum_constants())
    g = globals()
    for k, v in types.enum_constants().items():
        g.setdefault(k, v)
    for n in builtin_names():
        if types._n.btf_find(types._btf, n):
            names.append(n)
    return names


def __dir__():
    try:
        return sorted(set(globals()) | set(_star_names()))
    except ImportError:
        return sorted(globals())
