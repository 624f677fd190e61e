#include "platform/platform_host.h"

#include "platform/frame_timer.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

namespace attnlab {

#ifdef __EMSCRIPTEN__

// Browsers may refuse storage (private windows, policies): every call is guarded.
EM_JS(char*, attnlab_js_storage_get, (const char* key), {
  let v = null;
  try { v = window.localStorage.getItem(UTF8ToString(key)); } catch (e) { v = null; }
  return allocateUTF8(v === null ? "" : v);
});
EM_JS(void, attnlab_js_storage_set, (const char* key, const char* value), {
  try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {
    console.warn("Attention Lab: could not save to localStorage: " + e.message);
  }
});
EM_JS(void, attnlab_js_download, (const char* name, const char* mime, const void* data, int size), {
  const bytes = HEAPU8.slice(data, data + size);
  const url = URL.createObjectURL(new Blob([bytes], {type: UTF8ToString(mime)}));
  const a = document.createElement("a");
  a.href = url;
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
});
EM_JS(char*, attnlab_js_share, (const char* fragment), {
  const url = location.href.split("#")[0] + "#" + UTF8ToString(fragment);
  try { history.replaceState(null, "", url); } catch (e) {}
  try { if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {}); } catch (e) {}
  return allocateUTF8(url);
});
EM_JS(void, attnlab_js_pick_file, (const char* command, const char* accept), {
  if (Module["attnlabPickFile"]) Module["attnlabPickFile"](UTF8ToString(command), UTF8ToString(accept));
});

std::string PlatformHost::storage_get(const std::string& key) {
  char* v = attnlab_js_storage_get(key.c_str());
  std::string out(v);
  std::free(v);
  return out;
}
void PlatformHost::storage_set(const std::string& key, const std::string& value) { attnlab_js_storage_set(key.c_str(), value.c_str()); }

bool PlatformHost::download_file(const std::string& filename, const std::string& mime, const std::string& bytes, std::string* where) {
  attnlab_js_download(filename.c_str(), mime.c_str(), bytes.data(), static_cast<int>(bytes.size()));
  *where = "your downloads (" + filename + ")";
  return true;
}

std::string PlatformHost::share_fragment(const std::string& fragment) {
  char* v = attnlab_js_share(fragment.c_str());
  std::string out(v);
  std::free(v);
  return out;
}

bool PlatformHost::pick_text_file(const std::string& command, const std::string& accept) {
  attnlab_js_pick_file(command.c_str(), accept.c_str());
  return true;
}

#else  // the desktop

namespace {
std::string storage_path(const std::string& key) {
  const char* home = std::getenv("HOME");
  return std::string(home ? home : ".") + "/.local/share/attention-lab/" + key + ".json";
}
}  // namespace

std::string PlatformHost::storage_get(const std::string& key) {
  std::ifstream in(storage_path(key));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void PlatformHost::storage_set(const std::string& key, const std::string& value) {
  const std::string path = storage_path(key);
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  std::ofstream(path) << value;
}

bool PlatformHost::download_file(const std::string& filename, const std::string& mime, const std::string& bytes, std::string* where) {
  (void)mime;
  std::ofstream out(filename, std::ios::binary);
  out << bytes;
  *where = "./" + filename;
  return static_cast<bool>(out);
}

std::string PlatformHost::share_fragment(const std::string& fragment) { return "index.html#" + fragment; }

bool PlatformHost::pick_text_file(const std::string&, const std::string&) { return false; }

#endif

nlohmann::json PlatformHost::frame_stats() const { return frame_timer_stats(); }

}  // namespace attnlab
