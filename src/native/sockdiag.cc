// Socket listing through netlink sock_diag (what ss uses). Placeholder module:
// it registers nothing until the netstat work lands here.
#include "common.h"
#include "modules.h"

namespace ptools {
void InitSockDiag(Napi::Env /*env*/, Napi::Object /*exports*/) {}
}  // namespace ptools
