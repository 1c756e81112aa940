/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _WG_SLEEP_H
#define _WG_SLEEP_H

/* VM fork, suspend and hibernation notifiers (sleep.c). */
int wg_sleep_init(void);
void wg_sleep_uninit(void);

#endif /* _WG_SLEEP_H */
