/* OSSystemExtensionRequest behind kg_sysext.h. Compiled with ARC by the container app's build on a Mac; on Linux
 * native/check-macos-sdk.sh syntax-checks it against the macOS 12 SDK headers. */
#import <Foundation/Foundation.h>
#import <SystemExtensions/SystemExtensions.h>

#include "kg_sysext.h"

/* One delegate per request. OSSystemExtensionRequest holds its delegate weakly, so live delegates are kept here
 * until their request finishes. */
@interface KGSysextDelegate : NSObject <OSSystemExtensionRequestDelegate>
@property(nonatomic) kg_sysext_callback callback;
@property(nonatomic) void *context;
@end

static NSMutableSet<KGSysextDelegate *> *live_delegates(void)
{
    static NSMutableSet<KGSysextDelegate *> *set;
    static dispatch_once_t once;
    dispatch_once(&once, ^{
        set = [NSMutableSet set];
    });
    return set;
}

@implementation KGSysextDelegate

- (void)report:(int32_t)state code:(int64_t)code message:(NSString *)message done:(BOOL)done
{
    self.callback(self.context, state, code, message.UTF8String);
    if (done) {
        [live_delegates() removeObject:self];
    }
}

- (OSSystemExtensionReplacementAction)request:(OSSystemExtensionRequest *)request
                  actionForReplacingExtension:(OSSystemExtensionProperties *)existing
                                withExtension:(OSSystemExtensionProperties *)extension
{
    (void)request;
    (void)existing;
    (void)extension;
    return OSSystemExtensionReplacementActionReplace; /* an upgrade replaces the running version */
}

- (void)requestNeedsUserApproval:(OSSystemExtensionRequest *)request
{
    (void)request;
    [self report:KG_SYSEXT_NEEDS_APPROVAL
            code:0
         message:@"allow the KmodGuard extension in System Settings > Privacy & Security, or deploy the "
                 @"system extension policy profile through MDM"
            done:NO];
}

- (void)request:(OSSystemExtensionRequest *)request didFinishWithResult:(OSSystemExtensionRequestResult)result
{
    (void)request;
    BOOL reboot = result == OSSystemExtensionRequestWillCompleteAfterReboot;
    [self report:reboot ? KG_SYSEXT_AFTER_REBOOT : KG_SYSEXT_COMPLETED
            code:0
         message:reboot ? @"completes after a restart" : @"done"
            done:YES];
}

- (void)request:(OSSystemExtensionRequest *)request didFailWithError:(NSError *)error
{
    (void)request;
    [self report:KG_SYSEXT_FAILED code:error.code message:error.localizedDescription done:YES];
}

- (void)request:(OSSystemExtensionRequest *)request foundProperties:(NSArray<OSSystemExtensionProperties *> *)properties
{
    (void)request;
    int32_t state = KG_SYSEXT_STATUS_NOT_INSTALLED;
    NSString *version = @"";
    for (OSSystemExtensionProperties *p in properties) {
        version = p.bundleShortVersion;
        if (p.isEnabled) {
            state = KG_SYSEXT_STATUS_ENABLED;
            break;
        }
        state = p.isUninstalling ? KG_SYSEXT_STATUS_UNINSTALLING
              : p.isAwaitingUserApproval ? KG_SYSEXT_STATUS_AWAITING_APPROVAL : state;
    }
    [self report:state code:0 message:version done:YES];
}

@end

static void submit(OSSystemExtensionRequest *request, kg_sysext_callback callback, void *context)
{
    KGSysextDelegate *delegate = [KGSysextDelegate new];
    delegate.callback = callback;
    delegate.context = context;
    [live_delegates() addObject:delegate];
    request.delegate = delegate;
    [OSSystemExtensionManager.sharedManager submitRequest:request];
}

static NSString *identifier(const char *bundle_id) { return [NSString stringWithUTF8String:bundle_id]; }

void kg_sysext_activate(const char *bundle_id, kg_sysext_callback callback, void *context)
{
    submit([OSSystemExtensionRequest activationRequestForExtension:identifier(bundle_id) queue:dispatch_get_main_queue()],
           callback, context);
}

void kg_sysext_deactivate(const char *bundle_id, kg_sysext_callback callback, void *context)
{
    submit([OSSystemExtensionRequest deactivationRequestForExtension:identifier(bundle_id) queue:dispatch_get_main_queue()],
           callback, context);
}

void kg_sysext_query(const char *bundle_id, kg_sysext_callback callback, void *context)
{
    submit([OSSystemExtensionRequest propertiesRequestForExtension:identifier(bundle_id) queue:dispatch_get_main_queue()],
           callback, context);
}
