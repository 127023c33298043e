// AudioWorklet: the microphone as 16 kHz mono 16-bit PCM, posted in pieces of half a second.
class RoomCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / 16000;  // input samples per output sample
    this.position = 0;               // where the next output sample falls in the input
    this.piece = new Int16Array(8000);
    this.filled = 0;
    this.peak = 0;
  }

  process(inputs) {
    const channels = inputs[0];
    if (!channels || !channels.length) return true;
    const input = channels[0];
    // The context runs at 16 kHz where the browser allows it; otherwise take every n-th sample.
    while (this.position < input.length) {
      const value = input[Math.floor(this.position)];
      this.peak = Math.max(this.peak, Math.abs(value));
      this.piece[this.filled++] = Math.max(-32768, Math.min(32767, Math.round(value * 32767)));
      if (this.filled === this.piece.length) {
        this.port.postMessage({pcm: this.piece.buffer, peak: this.peak}, [this.piece.buffer]);
        this.piece = new Int16Array(8000);
        this.filled = 0;
        this.peak = 0;
      }
      this.position += this.step;
    }
    this.position -= input.length;
    return true;
  }
}

registerProcessor("room-capture", RoomCapture);
