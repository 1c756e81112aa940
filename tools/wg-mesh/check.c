// SPDX-License-Identifier: GPL-2.0
/*
 * wg-mesh check [--json|--pairs] [--expect SPEC] [--strict] FILE...|DIR
 *
 * Exit status: 0 when every pair that must connect does, 1 when one
 * cannot (or, with --strict, when there is any finding), 2 on errors.
 * SPEC is "all" (the default), "none", or a comma-separated list of
 * "A-B" (both directions) and "A>B" (one direction).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cmd.h"

static bool expect_one(const struct mesh *m, struct mesh_report *r, char *item)
{
	char *sep = strpbrk(item, "->");
	bool both;
	int a, b;

	if (!sep) {
		fprintf(stderr, "wg-mesh check: --expect: `%s' is not A-B or A>B\n", item);
		return false;
	}
	both = *sep == '-';
	*sep = '\0';
	a = mesh_find(m, item);
	b = mesh_find(m, sep + 1);
	if (a < 0 || b < 0) {
		fprintf(stderr, "wg-mesh check: --expect: no node `%s'\n", a < 0 ? item : sep + 1);
		return false;
	}
	for (size_t i = 0; i < r->npairs; ++i) {
		struct mesh_pair *p = &r->pairs[i];

		if ((p->src == a && p->dst == b) || (both && p->src == b && p->dst == a))
			p->expected = true;
	}
	return true;
}

bool mesh_expect(const struct mesh *m, struct mesh_report *r, const char *spec)
{
	char *copy, *cur, *item;
	bool ok = true;

	for (size_t i = 0; i < r->npairs; ++i)
		r->pairs[i].expected = !strcmp(spec, "all");
	if (!strcmp(spec, "all") || !strcmp(spec, "none"))
		return true;
	copy = strdup(spec);
	cur = copy;
	while (ok && cur && (item = strsep(&cur, ",")))
		ok = expect_one(m, r, item);
	free(copy);
	return ok && copy;
}

static void report_free(struct mesh_report *r)
{
	free(r->pairs);
	free(r->findings);
}

static int verdict(const struct mesh_report *r, bool strict)
{
	for (size_t i = 0; i < r->npairs; ++i)
		if (r->pairs[i].expected && !r->pairs[i].ok)
			return 1;
	return strict && r->nfindings ? 1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "Usage: wg-mesh check [--json | --pairs] [--expect all|none|A-B,A>B...] [--strict] FILE...|DIR...\n");
	return 2;
}

int check_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "pairs", no_argument, NULL, 'p' },
		{ "expect", required_argument, NULL, 'e' }, { "strict", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *expect = "all";
	struct mesh_report r = { 0 };
	struct mesh m = { 0 };
	int c, fmt = 't', rc = 2;
	bool strict = false;

	while ((c = getopt_long(argc, argv, "jpe:sh", opts, NULL)) != -1) {
		if (c == 'j' || c == 'p')
			fmt = c;
		else if (c == 'e')
			expect = optarg;
		else if (c == 's')
			strict = true;
		else
			return usage();
	}
	if (optind >= argc)
		return usage();
	if (mesh_load_args(&m, argc - optind, argv + optind)) {
		mesh_link(&m);
		if (mesh_reach(&m, &r) && mesh_findings(&m, &r) && mesh_expect(&m, &r, expect)) {
			if (fmt == 'j')
				mesh_print_json(&m, &r);
			else if (fmt == 'p')
				mesh_print_pairs(&m, &r);
			else
				mesh_print_table(&m, &r);
			rc = verdict(&r, strict);
		}
	}
	report_free(&r);
	mesh_free(&m);
	return rc;
}
