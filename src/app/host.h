// What the app asks of the platform besides drawing: saved state, downloads,
// the address bar and the clipboard, a file picker, and the frame statistics.
// The platform implements it (platform/platform_host.h: localStorage, Blob
// downloads and an <input type=file> in the browser; files on the desktop);
// tests pass their own. The app never includes platform code: dependencies
// point one way, core <- app <- platform, and the CMake targets enforce it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace attnlab {

class Host {
 public:
  virtual ~Host() = default;

  // Saved state (progress, measured results) by key. "" when nothing is saved.
  virtual std::string storage_get(const std::string& key) = 0;
  virtual void storage_set(const std::string& key, const std::string& value) = 0;

  // Offers bytes as a file download; *where says where it went (for a notice).
  virtual bool download_file(const std::string& filename, const std::string& mime, const std::string& bytes,
                             std::string* where) = 0;

  // Puts the fragment ("s=...") into the address bar without reloading, copies
  // the page's full address to the clipboard, and returns that address.
  virtual std::string share_fragment(const std::string& fragment) = 0;

  // Asks the user for a file; its text arrives later as the app command
  // {"cmd": <command>, "text": ..., "name": ...}. False where there is no picker.
  virtual bool pick_text_file(const std::string& command, const std::string& accept) = 0;

  // How long the platform's frames take ({"frames", "p50_ms", ...}; see
  // platform/frame_timer.h), reported in the app's state for benchmarks.
  virtual nlohmann::json frame_stats() const = 0;
};

}  // namespace attnlab
