# print() conversions by type and by f-string spec (d i u x X c s p) on
# every width, negative numbers in hex, more than three values (up to 12,
# bpf_trace_vprintk) with mixed types, sep and end, NULL pointers.
# EXPECT-TRACE: w8=-56 u8=200 w16=-300 u16=65535 done
# EXPECT-TRACE: i32=-5 u32=4294967291 i64=-5 u64=18446744073709551611
# EXPECT-TRACE: hex32=fffffffb hex64=fffffffffffffffb HEX=ABCDEF small=ff
# EXPECT-TRACE: as-d=-5 as-i=-5 as-u=4294967291 ch=z code=122 spec-c=A
# EXPECT-TRACE: str=pybpf-semtest| null=0000000000000000| plain=0000000000000000|
# EXPECT-TRACE: 1,-2,3,-4,5,-6,7,-8,9,-10,11,-12
# EXPECT-TRACE: mixed 255 -1 ffff x 4294967296 end
# EXPECT-TRACE: a+b+c
# EXPECT-TRACE: i8x=ffffffff i16u=4294967294 u8d=200 chd=-1 bx=1
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import comm
from ctypes import (c_void_p, c_bool, c_char, c_int8, c_uint8, c_int16, c_uint16, c_int32, c_uint32,
                    c_int64, c_uint64)


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class named:
    name: str(16)


@bpf
@map
def empty() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def p1_narrow(ctx: c_void_p) -> c_int32:
    o = one
    a = c_int8(o * 200)
    b = c_uint8(o * 200)
    print(f"w8={a} u8={b} w16={c_int16(-o * 300)} u16={c_uint16(-o)} done")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p2_wide(ctx: c_void_p) -> c_int32:
    m = -one * 5
    print(f"i32={c_int32(m)} u32={c_uint32(m)} i64={m} u64={c_uint64(m)}")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p3_hex(ctx: c_void_p) -> c_int32:
    m = -one * 5
    print(f"hex32={c_int32(m):x} hex64={m:x} HEX={one * 0xABCDEF:X} small={c_uint8(-one):x}")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p4_specs(ctx: c_void_p) -> c_int32:
    m = c_int32(-one * 5)
    z = c_char(one * 122)
    print(f"as-d={m:d} as-i={m:i} as-u={m:u} ch={z} code={z:d} spec-c={one * 65:c}")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p5_strings(ctx: c_void_p) -> c_int32:
    n = named()
    comm(n.name)
    k = c_uint32(7)
    v = map_lookup_elem(empty, k)  # a pointer, NULL here
    print(f"str={n.name:s}| null={v:p}| plain={v}|")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p6_twelve(ctx: c_void_p) -> c_int32:
    o = one
    print(o, -o * 2, o * 3, -o * 4, o * 5, -o * 6, o * 7, -o * 8, o * 9, -o * 10, o * 11,
          -o * 12, sep=",")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p7_mixed(ctx: c_void_p) -> c_int32:
    o = one
    print("mixed", c_uint8(-o), c_int16(-o), f"{c_uint16(-o):x}", c_char(o * 120), o << 32,
          "end")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p8_sep(ctx: c_void_p) -> c_int32:
    print("a", "b", "c", sep="+", end="")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p9_promotions(ctx: c_void_p) -> c_int32:
    # narrow values are promoted to int before printing, as C's varargs are
    o = one
    a = c_int8(-o)
    b = c_int16(-o * 2)
    print(f"i8x={a:x} i16u={b:u} u8d={c_uint8(o * 200):d} chd={c_char(-o):d} bx={c_bool(o * 7):x}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
