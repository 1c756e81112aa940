/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Generic Netlink family "wireguard-event": what happens to the peers of
 * this project's WireGuard devices, pushed as it happens, and the per-peer
 * and per-device figures the configuration family does not carry.
 *
 * This family is the out-of-tree module's own.  It is separate from the
 * "wireguard" family (include/uapi/linux/wireguard.h), which stays exactly
 * upstream's, so nothing here can collide with what other tools expect.
 *
 * Multicast group WG_EVENTS_MCGRP_PEERS ("peers"): one WGEV_CMD_EVENT
 * message per event.  Joining it needs CAP_NET_ADMIN in the user namespace
 * owning the listener's network namespace; events of a device go to the
 * namespace the device is in.  Every event carries WGEV_A_EVENT,
 * WGEV_A_IFINDEX, WGEV_A_IFNAME, WGEV_A_PUBLIC_KEY (the peer) and
 * WGEV_A_TIMESTAMP_NS, plus:
 *   WGEV_EVENT_HANDSHAKE     WGEV_A_ROLE; as initiator also WGEV_A_RTT_NS
 *                            (sending the initiation to consuming its
 *                            response) and WGEV_A_SRTT_NS
 *   WGEV_EVENT_ENDPOINT      WGEV_A_ENDPOINT, the new address; sent only
 *                            after an authenticated packet came from it
 *   WGEV_EVENT_KEYS_ZEROED   nothing more (no session for 3 * 180 s)
 *   WGEV_EVENT_PEER_ADDED, WGEV_EVENT_PEER_REMOVED  nothing more
 * Events caused by packets (handshake, endpoint, keys zeroed) are rate
 * limited per peer (a burst of WG_EVENTS_BURST, then one per
 * WG_EVENTS_INTERVAL_MS); WGEV_A_SUPPRESSED, when present, says how many
 * of that peer's events were suppressed since its last delivered one.
 *
 * Commands (CAP_NET_ADMIN in the device's namespace)
 *   WGEV_CMD_GET_PEERS (dump): request WGEV_A_IFINDEX or WGEV_A_IFNAME;
 *   one message per peer with WGEV_A_IFINDEX, WGEV_A_PUBLIC_KEY,
 *   WGEV_A_HANDSHAKES, WGEV_A_RTT_SAMPLES, WGEV_A_SUPPRESSED (total) and,
 *   once measured, WGEV_A_RTT_NS (last) and WGEV_A_SRTT_NS (smoothed).
 *
 *   WGEV_CMD_GET_DEVICE: request as above; the reply has WGEV_A_IFINDEX,
 *   WGEV_A_IFNAME, WGEV_A_DROPS, a nest of NLA_U64 counters indexed by
 *   enum wgev_drop (received packets dropped, by reason), and WGEV_A_TRAINS,
 *   a nest of NLA_U64 counters indexed by enum wgev_train: the trains (runs
 *   of transport messages carried as one UDP GSO or GRO skb) the device
 *   sent and received, and the messages they held.
 *
 * Attribute types
 *   WGEV_A_IFINDEX       NLA_U32
 *   WGEV_A_IFNAME        NLA_NUL_STRING
 *   WGEV_A_EVENT         NLA_U32, enum wgev_event
 *   WGEV_A_PUBLIC_KEY    binary, 32 bytes
 *   WGEV_A_TIMESTAMP_NS  NLA_U64, CLOCK_REALTIME nanoseconds
 *   WGEV_A_ROLE          NLA_U32, enum wgev_role
 *   WGEV_A_RTT_NS        NLA_U64, nanoseconds
 *   WGEV_A_SRTT_NS       NLA_U64, nanoseconds (EWMA, weight 1/8)
 *   WGEV_A_ENDPOINT      struct sockaddr_in or struct sockaddr_in6
 *   WGEV_A_SUPPRESSED    NLA_U64
 *   WGEV_A_HANDSHAKES    NLA_U64, completed handshakes (either role)
 *   WGEV_A_RTT_SAMPLES   NLA_U64
 *   WGEV_A_DROPS         NLA_NESTED of NLA_U64, enum wgev_drop
 *   WGEV_A_TRAINS        NLA_NESTED of NLA_U64, enum wgev_train
 */
#ifndef _UAPI_WIREGUARD_EVENTS_H
#define _UAPI_WIREGUARD_EVENTS_H

/* Family names have at most GENL_NAMSIZ - 1 = 15 characters. */
#define WG_EVENTS_GENL_NAME "wireguard-event"
#define WG_EVENTS_GENL_VERSION 1
#define WG_EVENTS_MCGRP_PEERS "peers"

#define WG_EVENTS_BURST 16
#define WG_EVENTS_INTERVAL_MS 250

enum wgev_cmd {
	WGEV_CMD_UNSPEC,
	WGEV_CMD_EVENT,
	WGEV_CMD_GET_PEERS,
	WGEV_CMD_GET_DEVICE,
	__WGEV_CMD_MAX
};

#define WGEV_CMD_MAX (__WGEV_CMD_MAX - 1)

enum wgev_event {
	WGEV_EVENT_UNSPEC,
	WGEV_EVENT_HANDSHAKE,
	WGEV_EVENT_KEYS_ZEROED,
	WGEV_EVENT_ENDPOINT,
	WGEV_EVENT_PEER_ADDED,
	WGEV_EVENT_PEER_REMOVED,
	__WGEV_EVENT_MAX
};

enum wgev_role {
	WGEV_ROLE_UNSPEC,
	WGEV_ROLE_INITIATOR,
	WGEV_ROLE_RESPONDER,
};

enum wgev_attr {
	WGEV_A_UNSPEC,
	WGEV_A_IFINDEX,
	WGEV_A_IFNAME,
	WGEV_A_EVENT,
	WGEV_A_PUBLIC_KEY,
	WGEV_A_TIMESTAMP_NS,
	WGEV_A_ROLE,
	WGEV_A_RTT_NS,
	WGEV_A_SRTT_NS,
	WGEV_A_ENDPOINT,
	WGEV_A_SUPPRESSED,
	WGEV_A_HANDSHAKES,
	WGEV_A_RTT_SAMPLES,
	WGEV_A_DROPS,
	WGEV_A_PAD,
	WGEV_A_TRAINS,
	__WGEV_A_MAX
};

#define WGEV_A_MAX (__WGEV_A_MAX - 1)

/* Why a received packet was dropped. */
enum wgev_drop {
	WGEV_DROP_UNSPEC,
	WGEV_DROP_MALFORMED,		/* bad outer or inner headers, sizes */
	WGEV_DROP_HANDSHAKE_QUEUE_FULL,	/* handshake backlog full */
	WGEV_DROP_HANDSHAKE_MAC,	/* mac1 (or mac2 under load) invalid */
	WGEV_DROP_UNDER_LOAD,		/* answered with a cookie instead */
	WGEV_DROP_HANDSHAKE_INVALID,	/* failed to authenticate / replayed */
	WGEV_DROP_NO_SESSION,		/* unknown receiver index */
	/* not decrypted: authentication failed, key expired, queue full */
	WGEV_DROP_DECRYPT,
	WGEV_DROP_REPLAY,		/* nonce outside the window or reused */
	WGEV_DROP_ALLOWED_IPS,		/* inner source not the peer's */
	WGEV_DROP_RX_QUEUE_FULL,	/* the peer's receive queue full */
	__WGEV_DROP_MAX
};

#define WGEV_DROP_MAX (__WGEV_DROP_MAX - 1)

/* Trains: a run of transport messages sent or received as one skb.  A
 * message travelling alone is not counted here.
 */
enum wgev_train {
	WGEV_TRAIN_UNSPEC,
	WGEV_TRAIN_TX,			/* trains handed to the UDP layer */
	WGEV_TRAIN_TX_MESSAGES,		/* the messages in them */
	WGEV_TRAIN_RX,			/* GSO or GRO trains received */
	WGEV_TRAIN_RX_MESSAGES,		/* the messages cut from them */
	__WGEV_TRAIN_MAX
};

#define WGEV_TRAIN_MAX (__WGEV_TRAIN_MAX - 1)

#endif /* _UAPI_WIREGUARD_EVENTS_H */
