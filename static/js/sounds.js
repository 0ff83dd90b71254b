// The wall's sounds, made in the page with the Web Audio API (no sound files): a chime when someone joins the
// lobby, a tick in each of a countdown's last five seconds, a rising chord when the answer is revealed. Off
// until the host turns them on (the switch on the wall, remembered: static/js/remembered.js).

export class Sounds {
  constructor() {
    this.on = false;
    this.audio = null;
  }

  // A browser lets a page's audio start only after a press on the page: the switch's own press, or on a
  // reload with sounds remembered on, the host's first click or key.
  set(on) {
    this.on = on;
    if (!on) return;
    const Audio = window.AudioContext || window.webkitAudioContext;
    if (!this.audio && Audio) {
      this.audio = new Audio();
      const wake = () => this.audio.resume().catch(() => null);
      for (const kind of ["pointerdown", "keydown"]) document.addEventListener(kind, wake, { once: true });
    }
    this.audio?.resume().catch(() => null);
  }

  // One note: `frequency` in Hz, starting `at` seconds from now, a quick rise and a gentle fade over `length`.
  note(frequency, at, length, { type = "sine", volume = 0.18 } = {}) {
    if (!this.on || !this.audio) return;
    const start = this.audio.currentTime + at;
    const tone = this.audio.createOscillator();
    const level = this.audio.createGain();
    tone.type = type;
    tone.frequency.value = frequency;
    level.gain.setValueAtTime(0.0001, start);
    level.gain.exponentialRampToValueAtTime(volume, start + 0.02);
    level.gain.exponentialRampToValueAtTime(0.0001, start + length);
    tone.connect(level).connect(this.audio.destination);
    tone.start(start);
    tone.stop(start + length + 0.05);
  }

  joined() {
    this.note(660, 0, 0.35);
    this.note(880, 0.12, 0.45);
  }

  // `seconds` left (5 … 1): a wood-block tick, the last one higher.
  tick(seconds) {
    this.note(seconds === 1 ? 1320 : 990, 0, 0.12, { type: "triangle", volume: 0.25 });
  }

  // C, E, G, then the octave held: the answer lands.
  revealed() {
    [523.25, 659.25, 783.99].forEach((frequency, i) => this.note(frequency, i * 0.13, 0.5));
    this.note(1046.5, 0.39, 1.2, { volume: 0.22 });
  }
}
