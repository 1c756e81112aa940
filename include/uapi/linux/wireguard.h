/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Generic Netlink ABI of the WireGuard device.
 *
 * The numbers, types and nesting below are the stable interface shared
 * with the in-tree driver, wireguard-tools, systemd-networkd,
 * NetworkManager and wgctrl; they must never change.
 *
 * Commands
 *   WG_CMD_GET_DEVICE (dump only): the request names the device with
 *   WGDEVICE_A_IFINDEX or WGDEVICE_A_IFNAME.  The reply is a series of
 *   messages carrying the device attributes and WGDEVICE_A_PEERS; a
 *   device with many peers is split over several messages, each repeating
 *   the device identification, and a peer whose allowed IPs do not fit
 *   continues in the next message under the same public key.
 *
 *   WG_CMD_SET_DEVICE: names the device as above and carries any of
 *   PRIVATE_KEY, FLAGS, LISTEN_PORT, FWMARK and PEERS.  Each peer is
 *   identified by WGPEER_A_PUBLIC_KEY and may carry PRESHARED_KEY,
 *   FLAGS, ENDPOINT, PERSISTENT_KEEPALIVE_INTERVAL, ALLOWEDIPS and
 *   PROTOCOL_VERSION.  An all-zero private or preshared key clears it.
 *   A zero keepalive interval disables keepalives.
 *
 * Attribute types
 *   WGDEVICE_A_IFINDEX       NLA_U32
 *   WGDEVICE_A_IFNAME        NLA_NUL_STRING, at most IFNAMSIZ - 1 bytes
 *   WGDEVICE_A_PRIVATE_KEY   binary, WG_KEY_LEN bytes
 *   WGDEVICE_A_PUBLIC_KEY    binary, WG_KEY_LEN bytes (reported only)
 *   WGDEVICE_A_FLAGS         NLA_U32, enum wgdevice_flag
 *   WGDEVICE_A_LISTEN_PORT   NLA_U16 (0: pick a free port)
 *   WGDEVICE_A_FWMARK        NLA_U32 (0: none)
 *   WGDEVICE_A_PEERS         NLA_NESTED of NLA_NESTED peers
 *
 *   WGPEER_A_PUBLIC_KEY      binary, WG_KEY_LEN bytes
 *   WGPEER_A_PRESHARED_KEY   binary, WG_KEY_LEN bytes
 *   WGPEER_A_FLAGS           NLA_U32, enum wgpeer_flag
 *   WGPEER_A_ENDPOINT        struct sockaddr_in or struct sockaddr_in6
 *   WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL  NLA_U16, seconds
 *   WGPEER_A_LAST_HANDSHAKE_TIME  struct __kernel_timespec (reported only)
 *   WGPEER_A_RX_BYTES        NLA_U64 (reported only)
 *   WGPEER_A_TX_BYTES        NLA_U64 (reported only)
 *   WGPEER_A_ALLOWEDIPS      NLA_NESTED of NLA_NESTED allowed IPs
 *   WGPEER_A_PROTOCOL_VERSION NLA_U32; 0 means the newest, only 1 exists
 *
 *   WGALLOWEDIP_A_FAMILY     NLA_U16, AF_INET or AF_INET6
 *   WGALLOWEDIP_A_IPADDR     struct in_addr or struct in6_addr
 *   WGALLOWEDIP_A_CIDR_MASK  NLA_U8
 *   WGALLOWEDIP_A_FLAGS      NLA_U32, enum wgallowedip_flag
 */

#ifndef _WG_UAPI_WIREGUARD_H
#define _WG_UAPI_WIREGUARD_H

#define WG_GENL_NAME "wireguard"
#define WG_GENL_VERSION 1

#define WG_KEY_LEN 32

enum wg_cmd {
	WG_CMD_GET_DEVICE,
	WG_CMD_SET_DEVICE,
	__WG_CMD_MAX
};
#define WG_CMD_MAX (__WG_CMD_MAX - 1)

enum wgdevice_flag {
	WGDEVICE_F_REPLACE_PEERS = 1U << 0,
	__WGDEVICE_F_ALL = WGDEVICE_F_REPLACE_PEERS
};

enum wgdevice_attribute {
	WGDEVICE_A_UNSPEC,
	WGDEVICE_A_IFINDEX,
	WGDEVICE_A_IFNAME,
	WGDEVICE_A_PRIVATE_KEY,
	WGDEVICE_A_PUBLIC_KEY,
	WGDEVICE_A_FLAGS,
	WGDEVICE_A_LISTEN_PORT,
	WGDEVICE_A_FWMARK,
	WGDEVICE_A_PEERS,
	__WGDEVICE_A_LAST
};
#define WGDEVICE_A_MAX (__WGDEVICE_A_LAST - 1)

enum wgpeer_flag {
	WGPEER_F_REMOVE_ME = 1U << 0,
	WGPEER_F_REPLACE_ALLOWEDIPS = 1U << 1,
	WGPEER_F_UPDATE_ONLY = 1U << 2,
	__WGPEER_F_ALL = WGPEER_F_REMOVE_ME | WGPEER_F_REPLACE_ALLOWEDIPS |
			 WGPEER_F_UPDATE_ONLY
};

enum wgpeer_attribute {
	WGPEER_A_UNSPEC,
	WGPEER_A_PUBLIC_KEY,
	WGPEER_A_PRESHARED_KEY,
	WGPEER_A_FLAGS,
	WGPEER_A_ENDPOINT,
	WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL,
	WGPEER_A_LAST_HANDSHAKE_TIME,
	WGPEER_A_RX_BYTES,
	WGPEER_A_TX_BYTES,
	WGPEER_A_ALLOWEDIPS,
	WGPEER_A_PROTOCOL_VERSION,
	__WGPEER_A_LAST
};
#define WGPEER_A_MAX (__WGPEER_A_LAST - 1)

enum wgallowedip_flag {
	WGALLOWEDIP_F_REMOVE_ME = 1U << 0,
	__WGALLOWEDIP_F_ALL = WGALLOWEDIP_F_REMOVE_ME
};

enum wgallowedip_attribute {
	WGALLOWEDIP_A_UNSPEC,
	WGALLOWEDIP_A_FAMILY,
	WGALLOWEDIP_A_IPADDR,
	WGALLOWEDIP_A_CIDR_MASK,
	WGALLOWEDIP_A_FLAGS,
	__WGALLOWEDIP_A_LAST
};
#define WGALLOWEDIP_A_MAX (__WGALLOWEDIP_A_LAST - 1)

#endif /* _WG_UAPI_WIREGUARD_H */
