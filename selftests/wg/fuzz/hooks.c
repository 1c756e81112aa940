// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hooks.h"
#include "parse.h"

static bool fake_port(const char *service, uint16_t *port)
{
	unsigned long v;
	char *end;

	if (!strcmp(service, "domain")) {
		*port = 53;
		return true;
	}
	if (service[0] < '0' || service[0] > '9')
		return false;
	v = strtoul(service, &end, 10);
	if (*end || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

static bool fake_resolve_endpoint(const char *host, const char *service, const char *whole,
				  union wg_endpoint *out)
{
	uint16_t port;

	if (!fake_port(service, &port)) {
		fprintf(stderr, "Servname not supported for ai_socktype: `%s'\n", whole);
		return false;
	}
	if (!strcmp(host, "host.example"))
		host = "192.0.2.7";
	else if (!strcmp(host, "host6.example"))
		host = "2001:db8::7";
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, host, &out->in4.sin_addr) == 1) {
		out->in4.sin_family = AF_INET;
		out->in4.sin_port = htons(port);
		return true;
	}
	if (inet_pton(AF_INET6, host, &out->in6.sin6_addr) == 1) {
		out->in6.sin6_family = AF_INET6;
		out->in6.sin6_port = htons(port);
		return true;
	}
	fprintf(stderr, "Name or service not known: `%s'\n", whole);
	return false;
}

static bool fake_resolve_service(const char *service, uint16_t *port)
{
	if (fake_port(service, port))
		return true;
	fprintf(stderr, "Servname not supported for ai_socktype: `%s'\n", service);
	return false;
}

static FILE *fake_open_keyfile(const char *path, bool secret)
{
	(void)secret;
	if (!strcmp(path, "/dev/null"))
		return fopen("/dev/null", "r");
	if (!strncmp(path, "key:", 4) && path[4])
		return fmemopen((void *)(path + 4), strlen(path + 4), "r");
	fprintf(stderr, "Unable to open key file `%s': No such file or directory\n", path);
	return NULL;
}

void wg_test_hooks_install(bool fake_keyfiles)
{
	wg_resolve_endpoint_hook = fake_resolve_endpoint;
	wg_resolve_service_hook = fake_resolve_service;
	if (fake_keyfiles)
		wg_open_keyfile_hook = fake_open_keyfile;
}
