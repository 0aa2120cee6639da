# -D and imported modules: -D NAME sets the main source's constant NAME;
# -D MODULE.NAME sets NAME in local module MODULE (loaded as `import MODULE`
# would). The errors have no location.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int64
from limits import LIMIT

# ARGS: -I{dir}/modules -D LIMIT=3 -D nosuch_mod.X=1 -D .limits.LIMIT=2 -D limits.NOPE=1 -D limits.sample=1 -D rpkg.BASE=5
# ERROR@0 "-D LIMIT=3: 'LIMIT' is imported from module 'limits'; set it in the module that defines it \(-D MODULE\.NAME=VALUE\)"
# ERROR@0 "-D nosuch_mod\.X=1: no module named 'nosuch_mod' in the source's directory or the -I directories"
# ERROR@0 "-D \.limits\.LIMIT=2: a module-qualified name is MODULE\.NAME, with MODULE as an absolute import names it"
# ERROR@0 "-D limits\.NOPE=1: no module-level constant 'limits\.NOPE'"
# ERROR@0 "-D limits\.sample=1: 'limits\.sample' is not a module-level constant"


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    return LIMIT


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
