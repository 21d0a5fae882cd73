/* Test double of <bsm/libbsm.h>: the audit-token accessors, with Apple's word order
 * (auid, euid, egid, ruid, rgid, pid, asid, pidversion). Implemented in fake_es.c. */
#ifndef FAKE_BSM_LIBBSM_H
#define FAKE_BSM_LIBBSM_H

#include <mach/message.h>
#include <sys/types.h>

typedef int au_asid_t;

uid_t audit_token_to_auid(audit_token_t atoken);
uid_t audit_token_to_euid(audit_token_t atoken);
uid_t audit_token_to_ruid(audit_token_t atoken);
pid_t audit_token_to_pid(audit_token_t atoken);
au_asid_t audit_token_to_asid(audit_token_t atoken);
int audit_token_to_pidversion(audit_token_t atoken);

#endif
