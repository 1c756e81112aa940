// SPDX-License-Identifier: GPL-2.0
/*
 * wg-hsblast: send WireGuard handshake messages from a file of 148-byte
 * records (made by wg-hsgen.py).
 *
 *   wg-hsblast flood FILE DST DPORT SRCBASE NSRC SECONDS [BURST MS [SPOOF N]]
 *	raw IPv4 socket: the records, cycled, each from the next of NSRC
 *	source addresses counting up from SRCBASE (and a varying source
 *	port), for SECONDS; as fast as possible, or in bursts of BURST
 *	packets (as fast as possible), the next one once cookie replies
 *	(type 3 from DST:DPORT, seen on an AF_PACKET socket, so they need go
 *	no further into this namespace's stack than its interfaces) have
 *	come back for 90% of the burst, or MS
 *	milliseconds have passed.  That paces the flood to what the target
 *	answers.  SPOOF N: every Nth packet comes from address SPOOF instead
 *	(a spoofed copy of another host).  Stops at SIGTERM too.  Prints
 *	"sent N cookies C".
 *   wg-hsblast bench FILE SRC DST DPORT WINDOW [RESPONSES]
 *	UDP from SRC: every record once, at most WINDOW without an answer
 *	(an initiation unanswered for 1 s is given up); counts the handshake
 *	responses (type 2) and cookie replies (type 3) that come back and
 *	appends the responses to RESPONSES.  Prints "sent N responses R
 *	cookies C lost L seconds S rate R/S".
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define REC 148

static unsigned char *load(const char *path, size_t *n)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < REC) {
		perror(path);
		exit(2);
	}
	buf = malloc(st.st_size);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		perror(path);
		exit(2);
	}
	close(fd);
	*n = st.st_size / REC;
	return buf;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint16_t csum(const void *p, size_t len)
{
	const uint16_t *w = p;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *w++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Cookie replies from the target waiting on the packet socket (IPv4 packets
 * received on any interface of this namespace, from the IP header on).
 */
static size_t count_cookies(int rfd, const struct sockaddr_in *dst)
{
	unsigned char buf[256];
	struct sockaddr_ll from;
	socklen_t flen;
	size_t c = 0;
	ssize_t len;

	for (;;) {
		size_t ihl;

		flen = sizeof(from);
		len = recvfrom(rfd, buf, sizeof(buf), MSG_DONTWAIT,
			       (struct sockaddr *)&from, &flen);
		if (len <= 0)
			break;
		ihl = (buf[0] & 15) * 4;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if ((size_t)len == ihl + 8 + 64 && buf[ihl + 8] == 3 &&
		    !memcmp(buf + 12, &dst->sin_addr, 4) &&
		    !memcmp(buf + ihl, &dst->sin_port, 2))
			c++;
	}
	return c;
}

static int flood(char **a, int argc)
{
	size_t n, i, sent = 0, cookies = 0, mark = 0;
	unsigned char *recs = load(a[0], &n);
	unsigned char pkt[20 + 8 + REC];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	uint32_t base, nsrc = strtoul(a[4], NULL, 0);
	size_t burst = argc > 7 ? strtoul(a[6], NULL, 0) : 0;
	double secs = atof(a[5]), maxwait = argc > 7 ? atof(a[7]) / 1e3 : 0;
	uint32_t spoof = 0;
	size_t every = argc > 9 ? strtoul(a[9], NULL, 0) : 0;
	double t0, tb;
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	int rfd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	int rcvbuf = 8 << 20;

	if (rfd >= 0)
		setsockopt(rfd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	if (fd < 0 || rfd < 0 || inet_pton(AF_INET, a[1], &dst.sin_addr) != 1 ||
	    inet_pton(AF_INET, a[3], &base) != 1 || !nsrc) {
		perror("flood setup");
		return 2;
	}
	if (every && inet_pton(AF_INET, a[8], &spoof) != 1) {
		perror("flood spoof address");
		return 2;
	}
	dst.sin_port = htons(atoi(a[2]));
	base = ntohl(base);
	memset(pkt, 0, 28);
	pkt[0] = 0x45;
	pkt[8] = 64;
	pkt[9] = IPPROTO_UDP;
	*(uint16_t *)(pkt + 2) = htons(sizeof(pkt));
	memcpy(pkt + 16, &dst.sin_addr, 4);
	*(uint16_t *)(pkt + 22) = dst.sin_port;
	*(uint16_t *)(pkt + 24) = htons(8 + REC);
	signal(SIGTERM, on_term);
	t0 = tb = now();
	for (i = 0; !stop; i++) {
		uint32_t src = every && i % every == 0 ? spoof :
			       htonl(base + i % nsrc);

		if (burst && i && i % burst == 0) {
			while (cookies < mark + burst * 9 / 10 &&
			       now() - tb < maxwait && now() - t0 < secs && !stop) {
				struct pollfd p = { .fd = rfd, .events = POLLIN };

				poll(&p, 1, 10);
				cookies += count_cookies(rfd, &dst);
			}
			mark = cookies;
			tb = now();
		}
		if ((i & 63) == 0) {
			cookies += count_cookies(rfd, &dst);
			if (now() - t0 >= secs)
				break;
		}
		memcpy(pkt + 12, &src, 4);
		*(uint16_t *)(pkt + 10) = 0;
		*(uint16_t *)(pkt + 10) = csum(pkt, 20);
		*(uint16_t *)(pkt + 20) = htons(1024 + i % 60000);
		memcpy(pkt + 28, recs + (i % n) * REC, REC);
		if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&dst,
			   sizeof(dst)) == sizeof(pkt))
			sent++;
		else if (errno != ENOBUFS && errno != EAGAIN)
			perror("sendto");
	}
	printf("sent %zu cookies %zu\n", sent, cookies + count_cookies(rfd, &dst));
	return 0;
}

static int bench(char **a, int argc)
{
	size_t n, next = 0, lo = 0, done = 0, resp = 0, cookies = 0, lost = 0;
	size_t sent = 0;
	unsigned char *recs = load(a[0], &n), buf[256];
	unsigned int window = atoi(a[4]), out = 0;
	double *sent_at, t0, t;
	struct sockaddr_in src = { .sin_family = AF_INET };
	struct sockaddr_in dst = { .sin_family = AF_INET };
	FILE *rf = argc > 5 ? fopen(a[5], "ab") : NULL;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	size_t i;

	sent_at = calloc(n, sizeof(*sent_at));
	if (fd < 0 || !sent_at || inet_pton(AF_INET, a[1], &src.sin_addr) != 1 ||
	    inet_pton(AF_INET, a[2], &dst.sin_addr) != 1 ||
	    bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0 || !window) {
		perror("bench setup");
		return 2;
	}
	dst.sin_port = htons(atoi(a[3]));
	t0 = now();
	while (done < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t len;

		while (out < window && next < n) {
			if (sendto(fd, recs + next * REC, REC, 0,
				   (struct sockaddr *)&dst, sizeof(dst)) != REC) {
				usleep(1000);
				continue;
			}
			sent_at[next++] = now();
			sent++;
			out++;
		}
		if (poll(&p, 1, 100) > 0) {
			len = recv(fd, buf, sizeof(buf), 0);
			if (len == 92 && buf[0] == 2) {
				uint32_t idx;

				memcpy(&idx, buf + 8, 4);
				idx = idx - 1;
				if (idx < n && sent_at[idx] > 0) {
					sent_at[idx] = -1;
					resp++;
					done++;
					out--;
					if (rf)
						fwrite(buf, 1, 92, rf);
				}
			} else if (len == 64 && buf[0] == 3) {
				cookies++;
			}
		}
		t = now();
		while (lo < next && sent_at[lo] < 0)
			lo++;
		for (i = lo; i < next; i++) {
			if (sent_at[i] > 0 && t - sent_at[i] > 1.0) {
				sent_at[i] = -1;
				lost++;
				done++;
				out--;
			}
		}
	}
	t = now() - t0;
	if (rf)
		fclose(rf);
	printf("sent %zu responses %zu cookies %zu lost %zu seconds %.3f rate %.1f\n",
	       sent, resp, cookies, lost, t, resp / t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 8 && !strcmp(argv[1], "flood"))
		return flood(argv + 2, argc - 2);
	if (argc >= 7 && !strcmp(argv[1], "bench"))
		return bench(argv + 2, argc - 2);
	fprintf(stderr, "usage: wg-hsblast flood FILE DST DPORT SRCBASE NSRC SECONDS [BURST MS]\n"
		"       wg-hsblast bench FILE SRC DST DPORT WINDOW [RESPONSES]\n");
	return 2;
}
