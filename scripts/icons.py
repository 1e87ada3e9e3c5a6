"""Draws Loglens's app icons (a magnifier over a pulse line) as PNGs, with nothing but zlib: python3 scripts/icons.py"""
import math, struct, zlib, os

def png(path, size, maskable):
    bg = (31, 111, 235)
    px = bytearray()
    s = size / 64.0
    # maskable icons keep their content in the middle 80 %
    k = 0.8 if maskable else 1.0
    def inside(x, y):
        # map to the 64-unit design, shrunk around the centre for maskable
        u = (x / s - 32) / k + 32
        v = (y / s - 32) / k + 32
        return u, v
    for y in range(size):
        px.append(0)
        for x in range(size):
            u, v = inside(x + 0.5, y + 0.5)
            r = 14 if not maskable else 0
            # rounded square background (full bleed when maskable)
            col = None
            if maskable:
                col = bg
            else:
                dx = max(abs(x / s - 32) - (32 - r), 0); dy = max(abs(y / s - 32) - (32 - r), 0)
                if dx * dx + dy * dy <= r * r: col = bg
            if col is None:
                px += bytes((0, 0, 0, 0)); continue
            white = False
            d = math.hypot(u - 28, v - 28)
            if 11 <= d <= 17: white = True  # lens ring
            # handle from (38,38) to (52,52), width ~7
            t = max(0, min(1, ((u - 38) * 14 + (v - 38) * 14) / (14 * 14 * 2)))
            hx, hy = 38 + 14 * t, 38 + 14 * t
            if math.hypot(u - hx, v - hy) <= 3.6 and d > 15: white = True
            # pulse line inside the lens
            if d < 11:
                pts = [(19, 31), (23, 31), (26, 23), (30, 35), (32, 31), (36, 31)]
                for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
                    L = math.hypot(x2 - x1, y2 - y1)
                    tt = max(0, min(1, ((u - x1) * (x2 - x1) + (v - y1) * (y2 - y1)) / (L * L)))
                    if math.hypot(u - (x1 + tt * (x2 - x1)), v - (y1 + tt * (y2 - y1))) <= 1.6: white = True
            px += bytes((255, 255, 255, 255) if white else (*col, 255))
    raw = zlib.compress(bytes(px), 9)
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)) + chunk(b'IDAT', raw) + chunk(b'IEND', b'')
    open(path, 'wb').write(data)

here = os.path.join(os.path.dirname(__file__), '..', 'public')
png(os.path.join(here, 'icon-192.png'), 192, False)
png(os.path.join(here, 'icon-512.png'), 512, False)
png(os.path.join(here, 'icon-maskable-512.png'), 512, True)
png(os.path.join(here, 'apple-touch-icon.png'), 180, True)
print('icons written')
