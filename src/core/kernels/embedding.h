// Token + position embedding, the model's first layer. Raw pointers, outputs
// first, sizes last. The scalar reference is in core/kernels/ref/embedding_ref.h.
#pragma once

namespace attnlab {

// out[b,t,:] = wte[tokens[b,t],:] + wpe[t,:]
//   out:    [B, T, C]
//   tokens: [B, T], ids in [0, V)
//   wte:    [V, C] token embeddings
//   wpe:    [T, C] position embeddings, or null for a model without learned positions
void encoder_forward(float* out, const int* tokens, const float* wte, const float* wpe, int B, int T,
                     int C);

// Accumulates (+=): a token that occurs several times gets the sum of its rows.
//   dwte: [V, C]
//   dwpe: [T, C], or null (then it is skipped, as wpe was in the forward)
//   dout: [B, T, C]
//   tokens: [B, T]
void encoder_backward(float* dwte, float* dwpe, const float* dout, const int* tokens, int B, int T,
                      int C);

}  // namespace attnlab
