#include "app/gfx/redraw_gate.h"

#include <cstring>

namespace attnlab {
namespace {

unsigned long long g_texture_generation = 0;

void append(std::vector<unsigned char>* out, const void* bytes, size_t size) {
  const auto* p = static_cast<const unsigned char*>(bytes);
  out->insert(out->end(), p, p + size);
}

template <class T>
void append_value(std::vector<unsigned char>* out, const T& value) {
  append(out, &value, sizeof(value));
}

}  // namespace

void note_texture_changed() { ++g_texture_generation; }

bool RedrawGate::should_draw(const ImDrawData* data, int fb_width, int fb_height) {
  current_.clear();
  append_value(&current_, fb_width);
  append_value(&current_, fb_height);
  append_value(&current_, data->DisplayPos);
  append_value(&current_, data->DisplaySize);
  append_value(&current_, data->FramebufferScale);
  append_value(&current_, data->CmdListsCount);
  bool opaque_callback = false;
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    append_value(&current_, list->VtxBuffer.Size);
    append(&current_, list->VtxBuffer.Data, static_cast<size_t>(list->VtxBuffer.Size) * sizeof(ImDrawVert));
    append_value(&current_, list->IdxBuffer.Size);
    append(&current_, list->IdxBuffer.Data, static_cast<size_t>(list->IdxBuffer.Size) * sizeof(ImDrawIdx));
    append_value(&current_, list->CmdBuffer.Size);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback && cmd.UserCallback != ImDrawCallback_ResetRenderState) opaque_callback = true;
      append_value(&current_, cmd.ClipRect);
      append_value(&current_, cmd.TextureId);
      append_value(&current_, cmd.VtxOffset);
      append_value(&current_, cmd.IdxOffset);
      append_value(&current_, cmd.ElemCount);
    }
  }
  const bool same = !opaque_callback && texture_generation_ == g_texture_generation && current_.size() == last_.size() &&
                    std::memcmp(current_.data(), last_.data(), current_.size()) == 0;
  if (same) return false;
  last_.swap(current_);
  texture_generation_ = g_texture_generation;
  return true;
}

}  // namespace attnlab
