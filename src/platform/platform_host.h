// What the app asks of the page (or of the desktop) besides drawing: saved
// progress, downloads, the address bar, the clipboard, and opening a file.
// In the browser these are localStorage, a Blob download, location.hash,
// navigator.clipboard and an <input type=file> (Emscripten 3.1.6: allocateUTF8, not
// stringToNewUTF8, returns strings to C++); on the desktop, files under
// ~/.local/share/attention-lab and the current directory.
#pragma once

#include <string>

namespace attnlab {

// Saved state (progress, measured results). "" when nothing is saved.
std::string storage_get(const std::string& key);
void storage_set(const std::string& key, const std::string& value);

// Offers bytes as a file download. *where says where it went (for a notice).
bool download_file(const std::string& filename, const std::string& mime, const std::string& bytes, std::string* where);

// Puts the fragment ("s=...") into the address bar without reloading, copies
// the page's full address to the clipboard, and returns that address.
std::string share_fragment(const std::string& fragment);

// Asks the user for a file; its text arrives later as the app command
// {"cmd": <command>, "text": ..., "name": ...}. False where there is no picker.
bool pick_text_file(const std::string& command, const std::string& accept);

}  // namespace attnlab
