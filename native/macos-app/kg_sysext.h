/*
 * kg_sysext.h: activation, deactivation and status of KmodGuard's system extension, for the container app.
 * The SystemExtensions framework has no .NET binding, so the app (KmodGuard.MacOS.App) calls these C functions,
 * implemented over OSSystemExtensionRequest in kg_sysext.m. Results arrive on the callback, on the main queue.
 */
#ifndef KG_SYSEXT_H
#define KG_SYSEXT_H

#include <stdint.h>

enum {
    KG_SYSEXT_COMPLETED = 0,           /* activated or deactivated */
    KG_SYSEXT_AFTER_REBOOT = 1,        /* done once the Mac restarts */
    KG_SYSEXT_NEEDS_APPROVAL = 2,      /* the user must allow it in System Settings (or deploy the MDM profile) */
    KG_SYSEXT_FAILED = 3,              /* code is the OSSystemExtensionErrorCode, message says why */
    KG_SYSEXT_STATUS_ENABLED = 4,      /* status: installed and running */
    KG_SYSEXT_STATUS_AWAITING_APPROVAL = 5,
    KG_SYSEXT_STATUS_UNINSTALLING = 6,
    KG_SYSEXT_STATUS_NOT_INSTALLED = 7,
};

/* state: KG_SYSEXT_*; code: an OSSystemExtensionErrorCode for FAILED, else 0; message: UTF-8, valid during the call. */
typedef void (*kg_sysext_callback)(void *context, int32_t state, int64_t code, const char *message);

void kg_sysext_activate(const char *bundle_id, kg_sysext_callback callback, void *context);
void kg_sysext_deactivate(const char *bundle_id, kg_sysext_callback callback, void *context);
/* macOS 12 and later: reports one KG_SYSEXT_STATUS_* for the extension. */
void kg_sysext_query(const char *bundle_id, kg_sysext_callback callback, void *context);

#endif
