// Native modules of the ptools addon. Each .cc file beside ptools.cc defines
// one Init function that adds its functions to the exports; ptools.cc calls
// them all. Shared helpers (errno errors, argument checks) live in common.h.
#pragma once
#include <napi.h>

namespace ptools {
void InitSockDiag(Napi::Env env, Napi::Object exports);
}  // namespace ptools
