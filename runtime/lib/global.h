/*
 * global.h - what object.c needs from global.c.
 */
#ifndef PYBPF_RUNTIME_GLOBAL_H
#define PYBPF_RUNTIME_GLOBAL_H

struct pybpf_object;

/* Frees the table of globals of an object that is being closed (no-op when
 * it has none). Called by pybpf_object__close(). */
void pybpf_globals_release(struct pybpf_object *obj);

#endif
