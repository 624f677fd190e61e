// The app's Host (app/host.h) on this platform. In the browser: localStorage,
// a Blob download, location.hash and navigator.clipboard, and an <input
// type=file> that the page's loader owns (Emscripten 3.1.6: allocateUTF8, not
// stringToNewUTF8, returns strings to C++). On the desktop: files under
// ~/.local/share/attention-lab and the current directory, and no picker.
#pragma once

#include "app/host.h"

namespace attnlab {

class PlatformHost : public Host {
 public:
  std::string storage_get(const std::string& key) override;
  void storage_set(const std::string& key, const std::string& value) override;
  bool download_file(const std::string& filename, const std::string& mime, const std::string& bytes,
                     std::string* where) override;
  std::string share_fragment(const std::string& fragment) override;
  bool pick_text_file(const std::string& command, const std::string& accept) override;
  nlohmann::json frame_stats() const override;
};

}  // namespace attnlab
