// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for tools/wg's parsers (parse.c): configuration files and
 * `wg set' arguments.  Every case runs the real parser and checks either
 * the exact parsed request (printed canonically by describe()) or that the
 * input is refused with a message naming the value and, for files, the
 * line.  Prints TAP.  Built with ASan and UBSan by selftests/wg/Makefile.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device.h"
#include "encoding.h"
#include "hooks.h"
#include "parse.h"

/* Fixed keys (any 32 bytes are valid keys for the parser). */
#define K1 "yIbXeB+voEcwK/MrYE4QMaltaHR2Q4Yx81JDV/Mr31o="
#define K1_NONCANON "yIbXeB+voEcwK/MrYE4QMaltaHR2Q4Yx81JDV/Mr31p="
#define P1 "4O1pzESubLornD0M06Tp6kcWNycb8csUJOyBBDAhDEE="
#define P2 "KJwI/08Iyd4gUlASDEKC+ct3TWcaxyD8Z1Y+L8oPXGc="
#define PSK "YAyfqqJAz6zFbupH0tHDnlPjXIMNUeBKpVxThS6RbFc="
#define IF "[Interface]\n"
#define PEER1 "[Peer]\nPublicKey = " P1 "\n"
/* What a setconf (not addconf) of a file without [Interface] values asks. */
#define SETCONF_DEV "dev replace-peers private-key=(none) listen-port=0 fwmark=0"

static int n, failed;
static char tmpdir[] = "/tmp/wg-parse-test.XXXXXX";

static void result(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		++failed;
}

static void diag(const char *label, const char *text)
{
	const char *p = text;

	printf("# %s:\n", label);
	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		printf("#   %.*s\n", len, p);
		p += len + (nl ? 1 : 0);
	}
}

/* ------------------------------------------------------------------ */
/* stderr capture                                                      */

static FILE *capture;
static int saved_stderr = -1;
static char captured[16384];

static void capture_start(void)
{
	fflush(stderr);
	if (!capture) {
		capture = tmpfile();
		if (!capture) {
			perror("tmpfile");
			exit(1);
		}
	}
	if (ftruncate(fileno(capture), 0)) {
		perror("ftruncate");
		exit(1);
	}
	rewind(capture);
	saved_stderr = dup(2);
	dup2(fileno(capture), 2);
}

static const char *capture_end(void)
{
	size_t got;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	rewind(capture);
	got = fread(captured, 1, sizeof(captured) - 1, capture);
	captured[got] = '\0';
	return captured;
}

/* ------------------------------------------------------------------ */
/* Canonical text of a parsed request                                   */

static char desc[65536];
static size_t desc_len;

static void put(const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(desc + desc_len, sizeof(desc) - desc_len, fmt, ap);
	va_end(ap);
	if (w > 0)
		desc_len += (size_t)w < sizeof(desc) - desc_len ? (size_t)w : sizeof(desc) - desc_len - 1;
}

static const char *key_text(const uint8_t key[WG_KEY_LEN])
{
	static char b64[WG_B64_KEY_LEN + 1];

	if (wg_key_is_zero(key))
		return "(none)";
	wg_key_to_base64(b64, key);
	return b64;
}

static const char *describe(const struct wg_dev *dev)
{
	desc_len = 0;
	desc[0] = '\0';
	put("dev");
	if (dev->flags & DEV_REPLACE_PEERS)
		put(" replace-peers");
	if (dev->flags & DEV_HAS_PRIVATE_KEY)
		put(" private-key=%s", key_text(dev->private_key));
	if (dev->flags & DEV_HAS_LISTEN_PORT)
		put(" listen-port=%u", dev->listen_port);
	if (dev->flags & DEV_HAS_FWMARK)
		put(" fwmark=%u", dev->fwmark);
	for (size_t i = 0; i < dev->npeers; ++i) {
		const struct wg_peer *p = &dev->peers[i];

		put("\npeer %s", p->flags & PEER_HAS_PUBLIC_KEY ? key_text(p->public_key) : "?");
		if (p->flags & PEER_REMOVE)
			put(" remove");
		if (p->flags & PEER_REPLACE_AIPS)
			put(" replace-aips");
		if (p->flags & PEER_HAS_PSK)
			put(" psk=%s", key_text(p->preshared_key));
		if (wg_endpoint_is_set(&p->endpoint)) {
			char buf[128];

			put(" endpoint=%s", wg_endpoint_str(&p->endpoint, buf, sizeof(buf), NULL));
		}
		if (p->flags & PEER_HAS_KEEPALIVE)
			put(" keepalive=%u", p->keepalive);
		for (size_t j = 0; j < p->naips; ++j) {
			char ip[INET6_ADDRSTRLEN];

			inet_ntop(p->aips[j].family, &p->aips[j].addr, ip, sizeof(ip));
			put("%s%s%s/%u", j ? "," : " aips=", p->aips[j].flags & AIP_REMOVE ? "-" : "",
			    ip, p->aips[j].cidr);
		}
	}
	return desc;
}

/* ------------------------------------------------------------------ */
/* Configuration files                                                  */

struct config_case {
	const char *name;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	bool append;		/* addconf */
	bool ok;
	const char *want;	/* ok: the describe() text; else part of the message */
	unsigned int line;	/* !ok: the line the error must name */
	const char *warn;	/* ok: part of a warning that must be printed */
};

static void run_config(const struct config_case *c)
{
	struct wg_dev *dev = wg_dev_new();
	const char *err;
	char where[64];
	bool ok;

	wg_dev_set_name(dev, "wgtest0");
	capture_start();
	ok = wg_config_parse_buffer(dev, c->text, c->len ? c->len : strlen(c->text), c->append, "test.conf");
	err = capture_end();
	if (c->ok) {
		const char *got = describe(dev);
		bool good = ok && !strcmp(got, c->want) &&
			    (c->warn ? strstr(err, c->warn) != NULL : !*err);

		result(good, "config: %s", c->name);
		if (!good) {
			diag("expected", c->want);
			diag("got", got);
			diag("stderr", err);
		}
	} else {
		bool good;

		snprintf(where, sizeof(where), "on line %u\n", c->line);
		good = !ok && strstr(err, c->want) && strstr(err, "`test.conf'") && strstr(err, where);
		result(good, "config refused: %s", c->name);
		if (!good) {
			diag("expected message containing", c->want);
			diag("and", where);
			diag("stderr", err);
		}
	}
	wg_dev_free(dev);
}

#define BAD(nm, txt, msg, ln) { .name = nm, .text = txt, .want = msg, .line = ln }
#define GOOD(nm, txt, result) { .name = nm, .text = txt, .ok = true, .want = result }

static const struct config_case config_cases[] = {
	/* Accepted input, with the exact request it becomes. */
	GOOD("empty file", "", SETCONF_DEV),
	GOOD("[Interface] only", IF, SETCONF_DEV),
	GOOD("full configuration, comments, case, spacing, CRLF",
	     "# leading comment\n"
	     "[interface]\r\n"
	     "  PrivateKey=" K1 "   # trailing\n"
	     "LISTENPORT = 51820\n"
	     "fwmark = 0x20\n"
	     "\n"
	     "[Peer]\n"
	     "PublicKey = " P1 "\n"
	     "PresharedKey = " PSK "\n"
	     "AllowedIPs = 10.0.0.0/24, fd00::/64\n"
	     "AllowedIPs = 10.9.0.0/16\n"
	     "Endpoint = 1.2.3.4:51820\n"
	     "PersistentKeepalive = 25\n"
	     "[PEER]\n"
	     "publickey = " P2 "\n"
	     "endpoint = [2001:db8::1]:7\n",
	     "dev replace-peers private-key=" K1 " listen-port=51820 fwmark=32\n"
	     "peer " P1 " replace-aips psk=" PSK " endpoint=1.2.3.4:51820 keepalive=25 aips=10.0.0.0/24,fd00::/64,10.9.0.0/16\n"
	     "peer " P2 " replace-aips endpoint=[2001:db8::1]:7"),
	{ .name = "addconf asks to change only what the file sets", .append = true, .ok = true,
	  .text = IF "ListenPort = 1\n" PEER1 "AllowedIPs = 10.0.0.0/8\n",
	  .want = "dev listen-port=1\npeer " P1 " replace-aips aips=10.0.0.0/8" },
	GOOD("limits: port 0 and 65535, fwmark off and 0xffffffff, keepalive off and 65535",
	     IF "ListenPort = 65535\nFwMark = 0xffffffff\n" PEER1 "PersistentKeepalive = 65535\n"
	     "[Peer]\nPublicKey = " P2 "\nPersistentKeepalive = off\n",
	     "dev replace-peers private-key=(none) listen-port=65535 fwmark=4294967295\n"
	     "peer " P1 " replace-aips keepalive=65535\npeer " P2 " replace-aips keepalive=0"),
	GOOD("port 0, fwmark off, keepalive 0", IF "ListenPort = 0\nFwMark = off\n" PEER1 "PersistentKeepalive = 0\n",
	     SETCONF_DEV "\npeer " P1 " replace-aips keepalive=0"),
	GOOD("service-name port", IF "ListenPort = domain\n",
	     "dev replace-peers private-key=(none) listen-port=53 fwmark=0"),
	GOOD("endpoint forms: host name, service, bare v6 with port",
	     PEER1 "Endpoint = host.example:51820\n[Peer]\nPublicKey = " P2 "\nEndpoint = ::1:domain\n",
	     SETCONF_DEV "\npeer " P1 " replace-aips endpoint=192.0.2.7:51820\npeer " P2 " replace-aips endpoint=[::1]:53"),
	GOOD("incremental allowed IPs (+/-) do not replace",
	     PEER1 "AllowedIPs = +10.0.0.0/24, -10.1.0.0/24, -fd00::/64\n",
	     SETCONF_DEV "\npeer " P1 " aips=10.0.0.0/24,-10.1.0.0/24,-fd00::/64"),
	GOOD("all-zero preshared key clears it", PEER1 "PresharedKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
	     SETCONF_DEV "\npeer " P1 " replace-aips psk=(none)"),
	{ .name = "nonzero host part: accepted with a warning", .ok = true,
	  .text = PEER1 "AllowedIPs = 10.0.0.1/24\n",
	  .want = SETCONF_DEV "\npeer " P1 " replace-aips aips=10.0.0.1/24",
	  .warn = "Warning: AllowedIP has nonzero host part: 10.0.0.1/24" },

	/* Keys. */
	BAD("short private key", IF "PrivateKey = short\n", "Key is not the correct length or format: `short'", 2),
	BAD("private key without padding", IF "PrivateKey = yIbXeB+voEcwK/MrYE4QMaltaHR2Q4Yx81JDV/Mr31o\n",
	    "Key is not the correct length or format: `yIbXeB+voEcwK/MrYE4QMaltaHR2Q4Yx81JDV/Mr31o'", 2),
	BAD("private key, 45 characters", IF "PrivateKey = " K1 "A\n", "Key is not the correct length or format", 2),
	BAD("private key with a non-base64 character", IF "PrivateKey = yIbXeB+voEcwK/MrYE4QMaltaHR2Q4Yx81JDV/Mr3!o=\n",
	    "Key is not the correct length or format", 2),
	BAD("private key, non-canonical last digit", IF "PrivateKey = " K1_NONCANON "\n",
	    "Key is not the correct length or format: `" K1_NONCANON "'", 2),
	BAD("public key", "\n[Peer]\nPublicKey = " P1 "x\n", "Key is not the correct length or format: `" P1 "x'", 3),
	BAD("preshared key", PEER1 "PresharedKey = abc=\n", "Key is not the correct length or format: `abc='", 3),

	/* Allowed IPs. */
	BAD("v4 prefix /33", PEER1 "AllowedIPs = 10.0.0.0/33\n", "AllowedIP is not in the correct format: `10.0.0.0/33'", 3),
	BAD("v6 prefix /129", PEER1 "AllowedIPs = ::/129\n", "AllowedIP is not in the correct format: `::/129'", 3),
	BAD("empty prefix length", PEER1 "AllowedIPs = 10.0.0.0/\n", "AllowedIP is not in the correct format: `10.0.0.0/'", 3),
	BAD("negative prefix length", PEER1 "AllowedIPs = 10.0.0.0/-1\n", "`10.0.0.0/-1'", 3),
	BAD("signed prefix length", PEER1 "AllowedIPs = 10.0.0.0/+8\n", "`10.0.0.0/+8'", 3),
	BAD("hex prefix length", PEER1 "AllowedIPs = 10.0.0.0/0x8\n", "`10.0.0.0/0x8'", 3),
	BAD("junk after the prefix length", PEER1 "AllowedIPs = 10.0.0.0/24x\n", "`10.0.0.0/24x'", 3),
	BAD("two prefix lengths", PEER1 "AllowedIPs = 10.0.0.0/24/8\n", "`10.0.0.0/24/8'", 3),
	BAD("three-part v4 address", PEER1 "AllowedIPs = 10.0.0/24\n", "Unable to parse IP address: `10.0.0'", 3),
	BAD("v4 octet 256", PEER1 "AllowedIPs = 256.1.1.1/32\n", "Unable to parse IP address: `256.1.1.1'", 3),
	BAD("v6 with a scope", PEER1 "AllowedIPs = fe80::1%eth0/64\n", "Unable to parse IP address: `fe80::1%eth0'", 3),
	BAD("not an address", PEER1 "AllowedIPs = example.com/8\n", "Unable to parse IP address: `example.com'", 3),
	BAD("empty list entry", PEER1 "AllowedIPs = 10.0.0.0/24,,10.1.0.0/16\n", "Unable to parse IP address: `'", 3),
	BAD("trailing comma", PEER1 "AllowedIPs = 10.0.0.0/24,\n", "Unable to parse IP address: `'", 3),
	BAD("second line bad", PEER1 "AllowedIPs = 10.0.0.0/24\nAllowedIPs = 10.1.0.0/99\n", "`10.1.0.0/99'", 4),

	/* Ports. */
	BAD("listen port 70000", IF "ListenPort = 70000\n", "Listen port is not a number in 0-65535: `70000'", 2),
	BAD("listen port 65536", IF "ListenPort = 65536\n", "`65536'", 2),
	BAD("listen port -1", IF "ListenPort = -1\n", "Listen port is not a number in 0-65535: `-1'", 2),
	BAD("listen port +1", IF "ListenPort = +1\n", "Listen port is not a number in 0-65535: `+1'", 2),
	BAD("listen port 2^64+1", IF "ListenPort = 18446744073709551617\n", "`18446744073709551617'", 2),
	BAD("listen port in hex", IF "ListenPort = 0x10\n", "`0x10'", 2),
	BAD("listen port unknown service", IF "ListenPort = nosuchservice\n", "`nosuchservice'", 2),
	BAD("listen port empty", IF "ListenPort =\n", "Line unrecognized: `ListenPort='", 2),

	/* Fwmark. */
	BAD("fwmark 2^32 in hex", IF "FwMark = 0x100000000\n", "Fwmark is neither 0/off nor 0-0xffffffff: `0x100000000'", 2),
	BAD("fwmark 2^32", IF "FwMark = 4294967296\n", "`4294967296'", 2),
	BAD("fwmark -1", IF "FwMark = -1\n", "Fwmark is neither 0/off nor 0-0xffffffff: `-1'", 2),
	BAD("fwmark 0x", IF "FwMark = 0x\n", "`0x'", 2),
	BAD("fwmark 0xg", IF "FwMark = 0xg\n", "`0xg'", 2),
	BAD("fwmark 1.5", IF "FwMark = 1.5\n", "`1.5'", 2),
	BAD("fwmark word", IF "FwMark = on\n", "`on'", 2),

	/* Keepalive. */
	BAD("keepalive 65536", PEER1 "PersistentKeepalive = 65536\n",
	    "Persistent keepalive interval is neither 0/off nor 1-65535: `65536'", 3),
	BAD("keepalive with a unit", PEER1 "PersistentKeepalive = 25s\n", "`25s'", 3),
	BAD("keepalive negative", PEER1 "PersistentKeepalive = -5\n", "`-5'", 3),

	/* Endpoints. */
	BAD("endpoint without port", PEER1 "Endpoint = 1.2.3.4\n", "Unable to find port of endpoint: `1.2.3.4'", 3),
	BAD("endpoint with empty port", PEER1 "Endpoint = 1.2.3.4:\n", "Unable to find port of endpoint: `1.2.3.4:'", 3),
	BAD("v6 endpoint with empty port", PEER1 "Endpoint = [::1]:\n", "Unable to find port of endpoint: `[::1]:'", 3),
	BAD("v6 endpoint without closing bracket", PEER1 "Endpoint = [::1\n",
	    "Unable to find matching brace of endpoint: `[::1'", 3),
	BAD("v6 endpoint without colon", PEER1 "Endpoint = [::1]51820\n", "Unable to find port of endpoint: `[::1]51820'", 3),
	BAD("endpoint port 70000", PEER1 "Endpoint = 1.2.3.4:70000\n",
	    "Endpoint port is not a number in 0-65535: `1.2.3.4:70000'", 3),
	BAD("endpoint port -1", PEER1 "Endpoint = 1.2.3.4:-1\n", "Endpoint port is not a number in 0-65535: `1.2.3.4:-1'", 3),
	BAD("endpoint host unknown", PEER1 "Endpoint = nxdomain.example:1\n", "`nxdomain.example:1'", 3),
	BAD("endpoint service unknown", PEER1 "Endpoint = 1.2.3.4:nosuchservice\n", "`1.2.3.4:nosuchservice'", 3),

	/* Lines. */
	BAD("unknown key", IF "Address = 10.0.0.1/24\n", "Line unrecognized: `Address=10.0.0.1/24'", 2),
	BAD("peer key in [Interface]", IF "PublicKey = " P1 "\n", "Line unrecognized: `PublicKey=" P1 "'", 2),
	BAD("interface key in [Peer]", PEER1 "ListenPort = 1\n", "Line unrecognized: `ListenPort=1'", 3),
	BAD("key before any section", "ListenPort = 1\n", "not in an [Interface] or [Peer] section", 1),
	BAD("unknown section", IF "[Interfaces]\n", "Line unrecognized: `[Interfaces]'", 2),
	BAD("missing =", IF "ListenPort 51820\n", "Line unrecognized: `ListenPort51820'", 2),
	BAD("key only", IF "ListenPort\n", "Line unrecognized: `ListenPort'", 2),
	{ .name = "NUL byte in a line", .text = IF "ListenPort = 1\0garbage\n",
	  .len = sizeof(IF "ListenPort = 1\0garbage\n") - 1, .want = "NUL byte", .line = 2 },
	BAD("line numbers count comments and blank lines", "# c\n\n[Interface]\n# c\n\nFwMark = x\n", "`x'", 6),
	BAD("line numbers count CRLF lines", "[Interface]\r\n\r\nListenPort = 70000\r\n", "`70000'", 3),
	BAD("last line without newline", "[Interface]\nListenPort = 99999", "`99999'", 2),

	/* Duplicates. */
	BAD("ListenPort twice", IF "ListenPort = 1\nListenPort = 2\n", "ListenPort given twice: first on line 2, again on line 3", 3),
	BAD("FwMark twice across [Interface] sections", IF "FwMark = 1\n" PEER1 IF "FwMark = 2\n",
	    "FwMark given twice: first on line 2", 6),
	BAD("PrivateKey twice", IF "PrivateKey = " K1 "\nPrivateKey = " K1 "\n", "PrivateKey given twice", 3),
	BAD("PublicKey twice in a peer", PEER1 "PublicKey = " P2 "\n", "PublicKey given twice: first on line 2", 3),
	BAD("PresharedKey twice", PEER1 "PresharedKey = " PSK "\nPresharedKey = " PSK "\n", "PresharedKey given twice", 4),
	BAD("Endpoint twice", PEER1 "Endpoint = 1.2.3.4:1\nEndpoint = 1.2.3.4:2\n", "Endpoint given twice", 4),
	BAD("PersistentKeepalive twice", PEER1 "PersistentKeepalive = 1\nPersistentKeepalive = 2\n",
	    "PersistentKeepalive given twice", 4),
	BAD("the same peer twice", PEER1 "AllowedIPs = 10.0.0.0/8\n\n[Peer]\nPublicKey = " P2 "\n" PEER1,
	    "Peer " P1 " given twice: on line 2 and on line 8", 8),
	BAD("peer without public key (middle)", PEER1 "[Peer]\nAllowedIPs = 10.0.0.0/8\n[Peer]\nPublicKey = " P2 "\n",
	    "The [Peer] section on line 3 has no PublicKey", 3),
	BAD("peer without public key (last)", PEER1 "\n[Peer]\nEndpoint = 1.2.3.4:5\n",
	    "The [Peer] section on line 4 has no PublicKey", 4),
};

/* A secret must never be echoed back in an error message. */
static void secret_not_echoed(void)
{
	static const char text[] = IF "PrivateKey = " K1 "\nPrivateKey = " K1 "\n";
	struct wg_dev *dev = wg_dev_new();
	const char *err;

	capture_start();
	wg_config_parse_buffer(dev, text, sizeof(text) - 1, false, "test.conf");
	err = capture_end();
	result(!strstr(err, K1), "config: a duplicated private key is not printed");
	wg_dev_free(dev);
}

/* A large file: many peers, every one checked for duplicates. */
static void many_peers(void)
{
	size_t cap = 5000 * 200, len = 0;
	char *text = malloc(cap);
	struct wg_dev *dev = wg_dev_new();
	bool ok;

	for (unsigned int i = 0; i < 5000; ++i) {
		uint8_t key[WG_KEY_LEN] = { (uint8_t)i, (uint8_t)(i >> 8), 1 };
		char b64[WG_B64_KEY_LEN + 1];

		wg_key_to_base64(b64, key);
		len += (size_t)snprintf(text + len, cap - len, "[Peer]\nPublicKey=%s\nAllowedIPs=10.%u.%u.0/24\n",
					b64, i / 256, i % 256);
	}
	capture_start();
	ok = wg_config_parse_buffer(dev, text, len, false, "test.conf");
	capture_end();
	result(ok && dev->npeers == 5000 && dev->peers[4999].naips == 1, "config: 5000 peers parse");
	wg_dev_free(dev);
	/* Make the last peer repeat the first one's key. */
	memcpy(strrchr(text, '[') + strlen("[Peer]\nPublicKey="), text + strlen("[Peer]\nPublicKey="), WG_B64_KEY_LEN);
	dev = wg_dev_new();
	capture_start();
	ok = wg_config_parse_buffer(dev, text, len, false, "test.conf");
	result(!ok && strstr(capture_end(), "on line 2 and on line 14999"), "config: a repeated peer among 5000 is found");
	wg_dev_free(dev);
	free(text);
}

/* ------------------------------------------------------------------ */
/* `wg set' arguments                                                   */

#define MAX_ARGS 24
struct set_case {
	const char *name;
	const char *argv[MAX_ARGS];
	bool ok;
	const char *want;	/* ok: describe(); else part of the message */
	const char *warn;
};

/* "@KEY@" in an argument becomes the path of a key file made for it. */
static char keyfile[256], wwkeyfile[256], badkeyfile[256], shortkeyfile[256], trailkeyfile[256];

static void run_set(const struct set_case *c)
{
	struct wg_dev *dev = wg_dev_new();
	const char *argv[MAX_ARGS];
	const char *err;
	int argc = 0;
	bool ok, good;

	for (; c->argv[argc]; ++argc) {
		const char *a = c->argv[argc];

		argv[argc] = !strcmp(a, "@KEY@") ? keyfile : !strcmp(a, "@WWKEY@") ? wwkeyfile :
			     !strcmp(a, "@BADKEY@") ? badkeyfile : !strcmp(a, "@SHORTKEY@") ? shortkeyfile :
			     !strcmp(a, "@TRAILKEY@") ? trailkeyfile : a;
	}
	argv[argc] = NULL;
	wg_dev_set_name(dev, "wgtest0");
	capture_start();
	ok = wg_parse_set_args(dev, argc, argv);
	err = capture_end();
	if (c->ok) {
		const char *got = describe(dev);

		good = ok && !strcmp(got, c->want) && (c->warn ? strstr(err, c->warn) != NULL : !*err);
		result(good, "set: %s", c->name);
		if (!good) {
			diag("expected", c->want);
			diag("got", got);
			diag("stderr", err);
		}
	} else {
		good = !ok && strstr(err, c->want);
		result(good, "set refused: %s", c->name);
		if (!good) {
			diag("expected message containing", c->want);
			diag("stderr", err);
		}
	}
	wg_dev_free(dev);
}

#define SET_BAD(nm, msg, ...) { .name = nm, .want = msg, .argv = { __VA_ARGS__, NULL } }
#define SET_GOOD(nm, result, ...) { .name = nm, .ok = true, .want = result, .argv = { __VA_ARGS__, NULL } }

static const struct set_case set_cases[] = {
	SET_GOOD("everything at once", "dev private-key=" K1 " listen-port=51820 fwmark=16\n"
		 "peer " P1 " replace-aips psk=" K1 " endpoint=1.2.3.4:5 keepalive=25 aips=10.0.0.0/24,fd00::/64\n"
		 "peer " P2 " remove",
		 "listen-port", "51820", "fwmark", "0x10", "private-key", "@KEY@", "peer", P1, "preshared-key", "@KEY@",
		 "endpoint", "1.2.3.4:5", "persistent-keepalive", "25", "allowed-ips", " 10.0.0.0/24 ,\tfd00::/64 ",
		 "peer", P2, "remove"),
	SET_GOOD("incremental allowed IPs", "dev\npeer " P1 " aips=10.0.0.0/24,-10.1.0.0/24",
		 "peer", P1, "allowed-ips", "+10.0.0.0/24,-10.1.0.0/24"),
	SET_GOOD("empty allowed IPs clear them", "dev\npeer " P1 " replace-aips", "peer", P1, "allowed-ips", ""),
	SET_GOOD("empty key file clears the key", "dev private-key=(none)", "private-key", "/dev/null"),
	SET_GOOD("the same peer twice is two steps", "dev\npeer " P1 " endpoint=1.2.3.4:1\npeer " P1 " remove",
		 "peer", P1, "endpoint", "1.2.3.4:1", "peer", P1, "remove"),
	{ .name = "world-readable private key file warns", .ok = true, .want = "dev private-key=" K1,
	  .warn = "is world accessible", .argv = { "private-key", "@WWKEY@", NULL } },
	{ .name = "world-readable preshared key file warns", .ok = true, .want = "dev\npeer " P1 " psk=" K1,
	  .warn = "is world accessible", .argv = { "peer", P1, "preshared-key", "@WWKEY@", NULL } },

	SET_BAD("option without value", "Invalid argument: listen-port", "listen-port"),
	SET_BAD("device option after a peer", "Invalid argument: listen-port", "peer", P1, "listen-port", "1"),
	SET_BAD("remove without a peer", "Invalid argument: remove", "remove"),
	SET_BAD("unknown option", "Invalid argument: bogus", "bogus", "1"),
	SET_BAD("peer option without value", "Invalid argument: endpoint", "peer", P1, "endpoint"),
	SET_BAD("bad peer key", "Key is not the correct length or format: `short'", "peer", "short"),
	SET_BAD("listen port 70000", "Listen port is not a number in 0-65535: `70000'", "listen-port", "70000"),
	SET_BAD("listen port with a leading space", "` 1'", "listen-port", " 1"),
	SET_BAD("listen port empty", "Unable to parse empty port", "listen-port", ""),
	SET_BAD("fwmark too big", "`0x1ffffffff'", "fwmark", "0x1ffffffff"),
	SET_BAD("allowed IP /33", "`10.0.0.0/33'", "peer", P1, "allowed-ips", "10.0.0.0/33"),
	SET_BAD("allowed IP sign only", "Unable to parse IP address: `'", "peer", P1, "allowed-ips", "-"),
	SET_BAD("endpoint without port", "`1.2.3.4'", "peer", P1, "endpoint", "1.2.3.4"),
	SET_BAD("endpoint empty", "Unable to parse empty endpoint", "peer", P1, "endpoint", ""),
	SET_BAD("keepalive 65536", "`65536'", "peer", P1, "persistent-keepalive", "65536"),
	SET_BAD("missing key file", "Unable to open key file `/nonexistent/key'", "private-key", "/nonexistent/key"),
	SET_BAD("key file with a bad key", "is not the correct length or format", "private-key", "@BADKEY@"),
	SET_BAD("key file too short", "Invalid length key in key file", "private-key", "@SHORTKEY@"),
	SET_BAD("key file with trailing characters", "Found trailing character in key file", "private-key", "@TRAILKEY@"),
	SET_BAD("error after valid options", "`10.0.0.0/40'", "listen-port", "1", "peer", P1, "allowed-ips", "10.0.0.0/8",
		"peer", P2, "allowed-ips", "10.0.0.0/40"),
};

static void write_file(char *path, size_t len, const char *name, const char *content, mode_t mode)
{
	int fd;

	snprintf(path, len, "%s/%s", tmpdir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content) || fchmod(fd, mode)) {
		perror(path);
		exit(1);
	}
	close(fd);
}

/* Keys through /dev/fd (process substitution, here-strings). */
static void key_from_dev_fd(void)
{
	struct wg_dev *dev = wg_dev_new();
	const char *argv[] = { "private-key", NULL, NULL };
	char path[64];
	int fds[2];
	bool ok;

	if (pipe(fds)) {
		perror("pipe");
		exit(1);
	}
	if (write(fds[1], K1 "\n", strlen(K1) + 1) < 0)
		perror("write");
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	argv[1] = path;
	capture_start();
	ok = wg_parse_set_args(dev, 2, argv);
	capture_end();
	close(fds[0]);
	result(ok && !strcmp(describe(dev), "dev private-key=" K1), "set: private key from /dev/fd");
	wg_dev_free(dev);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	wg_test_hooks_install(false);
	write_file(keyfile, sizeof(keyfile), "key", K1 "\n", 0600);
	write_file(wwkeyfile, sizeof(wwkeyfile), "wwkey", K1 "\n  \n", 0644);
	write_file(badkeyfile, sizeof(badkeyfile), "badkey", K1_NONCANON "\n", 0600);
	write_file(shortkeyfile, sizeof(shortkeyfile), "shortkey", "abc\n", 0600);
	write_file(trailkeyfile, sizeof(trailkeyfile), "trailkey", K1 " x\n", 0600);

	for (size_t i = 0; i < sizeof(config_cases) / sizeof(config_cases[0]); ++i)
		run_config(&config_cases[i]);
	secret_not_echoed();
	many_peers();
	for (size_t i = 0; i < sizeof(set_cases) / sizeof(set_cases[0]); ++i)
		run_set(&set_cases[i]);
	key_from_dev_fd();

	unlink(keyfile);
	unlink(wwkeyfile);
	unlink(badkeyfile);
	unlink(shortkeyfile);
	unlink(trailkeyfile);
	rmdir(tmpdir);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
