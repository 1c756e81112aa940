/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wg-mesh check: the reachability of every ordered pair of nodes
 * (route.c), the other findings (report.c) and their output (output.c).
 */
#ifndef WG_MESH_CHECK_H
#define WG_MESH_CHECK_H

#include "mesh.h"

enum mesh_reason {
	R_NONE,
	R_NO_ADDRESS,		/* the source or destination has no Address */
	R_NO_ROUTE,		/* no AllowedIPs at a node holds the destination */
	R_NOT_ADMITTED,		/* the receiver's AllowedIPs for the sender lack the source */
	R_NOT_FORWARDING,	/* a transit node does not forward */
	R_UNKNOWN_KEY,		/* the peer chosen has a key that is no node's */
	R_UNKNOWN_SENDER,	/* the next node has no [Peer] for the sender */
	R_NO_ENDPOINT,		/* neither side has an Endpoint for the other */
	R_LOOP,
	R_NREASONS
};

extern const char *const mesh_reason_name[R_NREASONS];

#define MESH_MAX_HOPS 16
#define MESH_TEXT 1024

struct mesh_pair {
	int src, dst;
	bool ok, expected;
	int hops[MESH_MAX_HOPS];	/* the request's path, src first */
	int nhops;
	/* blocked: where and why */
	enum mesh_reason reason;
	bool reply;			/* the reply, not the request, is lost */
	int at;				/* the node that drops it or cannot send */
	const char *file;
	unsigned int line;
	char why[MESH_TEXT];		/* the same for every pair this line blocks */
	char what[64];			/* this pair's part (an address) */
};

struct mesh_finding {
	const char *kind;
	const char *file;
	unsigned int line;
	char text[MESH_TEXT];
};

struct mesh_report {
	struct mesh_pair *pairs;
	size_t npairs;
	struct mesh_finding *findings;
	size_t nfindings;
};

/* route.c */
bool mesh_reach(const struct mesh *m, struct mesh_report *r);
const struct mesh_prefix *mesh_node_ip(const struct mesh_node *n);
/* report.c */
bool mesh_findings(const struct mesh *m, struct mesh_report *r);
bool mesh_add_finding(struct mesh_report *r, const char *kind, const char *file,
		      unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* output.c */
void mesh_print_table(const struct mesh *m, const struct mesh_report *r);
void mesh_print_pairs(const struct mesh *m, const struct mesh_report *r);
void mesh_print_json(const struct mesh *m, const struct mesh_report *r);

#endif
