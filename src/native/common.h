// Helpers shared by the native modules: errno → JS Error, argument checks.
#pragma once
#include <napi.h>

#include <errno.h>
#include <string.h>

#include <cmath>
#include <string>

namespace ptools {

inline const char* ErrnoName(int err) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char* n = strerrorname_np(err);
  if (n != nullptr) return n;
#endif
  return "EUNKNOWN";
}

// An Error with code, errno (negative, as Node's fs errors), syscall, path.
inline Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall, const std::string& path = std::string()) {
  std::string msg = std::string(ErrnoName(err)) + ": " + strerror(err) + ", " + syscall;
  if (!path.empty()) msg += " '" + path + "'";
  Napi::Error e = Napi::Error::New(env, msg);
  e.Set("code", Napi::String::New(env, ErrnoName(err)));
  e.Set("errno", Napi::Number::New(env, -err));
  e.Set("syscall", Napi::String::New(env, syscall));
  if (!path.empty()) e.Set("path", Napi::String::New(env, path));
  return e;
}

[[noreturn]] inline void ThrowType(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }

// Whether d is an integer in [lo, hi]. Compared as doubles before any cast:
// converting NaN, ±Infinity or a value out of the target type's range to an
// integer is undefined behaviour (UBSan's float-cast-overflow). lo and hi
// are within ±2^53, so they are exact as doubles.
inline bool IsIntIn(double d, int64_t lo, int64_t hi) {
  return d >= static_cast<double>(lo) && d <= static_cast<double>(hi) && std::trunc(d) == d;
}

inline int64_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* what, int64_t lo, int64_t hi) {
  if (info.Length() <= i || !info[i].IsNumber()) ThrowType(info.Env(), std::string(what) + " must be an integer");
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (!IsIntIn(d, lo, hi)) throw Napi::RangeError::New(info.Env(), std::string(what) + " is out of range or not an integer");
  return static_cast<int64_t>(d);
}

// A vector's first reservation for an array argument: its length, but no more
// than `cap` (a sparse array's length may be 2^32 - 1: reserving that would
// throw std::bad_alloc before the holes are seen).
inline size_t ReserveFor(uint64_t length, size_t cap = 4096) { return length < cap ? static_cast<size_t>(length) : cap; }

inline std::string ArgString(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsString()) ThrowType(info.Env(), std::string(what) + " must be a string");
  std::string s = info[i].As<Napi::String>().Utf8Value();
  if (s.find('\0') != std::string::npos) ThrowType(info.Env(), std::string(what) + " must not contain NUL bytes");
  return s;
}

}  // namespace ptools
