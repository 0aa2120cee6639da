/*
 * lex_xid.h - Unicode identifier classes for non-ASCII code points
 * (generated tables in lex_xid.c).
 */
#ifndef PYBPF_LEX_XID_H
#define PYBPF_LEX_XID_H

#include <stdbool.h>

/* True when code point cp (> 0x7F) is in XID_Start / XID_Continue. */
bool lex_is_xid_start(unsigned cp);
bool lex_is_xid_continue(unsigned cp);

#endif
