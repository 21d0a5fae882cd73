/* Test double: the one <mach/message.h> type the shim needs, with Apple's layout (eight 32-bit words). */
#ifndef FAKE_MACH_MESSAGE_H
#define FAKE_MACH_MESSAGE_H

typedef struct {
    unsigned int val[8];
} audit_token_t;

#endif
