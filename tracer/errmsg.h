/*
 * errmsg.h - the error-message buffer convention of tracer/.
 *
 * Contract: functions of tracer/ that can fail take (char *err, size_t
 * errlen) and, on failure, leave one line there naming what failed;
 * tracer_errmsg() writes it.  A NULL buffer or a zero length is allowed
 * (the caller does not want the message), and a long message is cut to
 * fit, always NUL-terminated (vsnprintf).
 */
#ifndef TRACER_ERRMSG_H
#define TRACER_ERRMSG_H

#include <stddef.h>

void tracer_errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
