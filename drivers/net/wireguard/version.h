/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _WG_VERSION_H
#define _WG_VERSION_H

#define WIREGUARD_VERSION "0.1.0"

#endif /* _WG_VERSION_H */
