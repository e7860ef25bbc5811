#!/usr/bin/env python3
"""Generate the known-answer vector files of tigress-harness.

Writes, deterministically (no randomness, no network):
  vectors/payload_aead.json   payload seal/open under AEAD_AES_128_GCM / AEAD_AES_256_GCM
  vectors/share_url.json      Share URL parse / build / fragment strip
  vectors/messages.json       endpoint bodies and Provisioning Information
  tests/kat/fixtures/wycheproof_style_aes_gcm.json
                              a small file in Wycheproof's own AEAD schema (written
                              here, not copied) that exercises the group-skipping rules

Every expected ciphertext is computed with python3-cryptography (AESGCM) and the
spec-catalogue D.3 values are asserted before anything is written, so a wrong
layout (IV || C || T, standard base64, empty AAD: interpretation C-29) cannot
slip in.

IDs are part of the contract: each vector lists its ID explicitly below. Never
renumber or reuse one; append new vectors with the next free number, and move a
withdrawn vector's ID to the file's `retiredIds` list.

Usage: scripts/make_vectors.py [--check]   (--check: compare instead of write)
"""

import base64
import json
import os
import sys
import urllib.parse

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

A128 = "AEAD_AES_128_GCM"
A256 = "AEAD_AES_256_GCM"

# Spec-catalogue D.1 / D.3 constants.
D1_SECRET_B64 = "hXlr6aRC7KgJpOLTNZaLsw=="
D1_KEY = bytes.fromhex("85796be9a442eca809a4e2d335968bb3")
KAT_IV = bytes.fromhex("000102030405060708090a0b")
KAT1_PT = b'{"format":"digitalwallet.carkey.ccc","content":{}}'
KAT2_KEY = bytes(range(32))
KAT2_PT = b'{"format":"digitalwallet.generic.authorizationToken","content":{}}'
WRONG_KEY = bytes(range(16))
URL3_KEY = bytes.fromhex("fbffbffbffbffbffbffbffbffbffbffe")
D2_URL = ("https://relayserver.example.com/v1/m/2bba630e-519b-11ec-bf63-0242ac130002"
          "?v=c#hXlr6aRC7KgJpOLTNZaLsw==")
D2_ID = "2bba630e-519b-11ec-bf63-0242ac130002"
URL3_ID = "0f5c9a2e-3b4d-4c6e-8f10-2a3b4c5d6e7f"
URL3_URL = "https://relay.test/v1/m/" + URL3_ID + "?v=c#+/+/+/+/+/+/+/+/+/+//g=="
V4_ID = "9b2f6c1e-7d3a-4e5b-a1c2-3d4e5f607182"


def b64(b):
    return base64.b64encode(b).decode()


def seal(key, iv, pt):
    """Returns (ciphertext, tag, data) in the C-29 layout."""
    out = AESGCM(key).encrypt(iv, pt, None)
    ct, tag = out[:-16], out[-16:]
    return ct, tag, b64(iv + ct + tag)


def check_d3():
    ct, tag, data = seal(D1_KEY, KAT_IV, KAT1_PT)
    assert b64(D1_KEY) == D1_SECRET_B64
    assert ct.hex() == ("fbf67960de9ef94ddc2b5bbc2c4838fa1f6ae85daffcafa8fe62869168f3b98d"
                        "6dc2bba070945e9651f9a5eb83eb1d758c3d")
    assert tag.hex() == "323de999bbdc74e52a255240957d9cc4"
    assert data == ("AAECAwQFBgcICQoL+/Z5YN6e+U3cK1u8LEg4+h9q6F2v/K+o/mKGkWjzuY1twrugcJRellH5p"
                    "euD6x11jD0yPemZu9x05SolUkCVfZzE")
    ct, tag, data = seal(KAT2_KEY, KAT_IV, KAT2_PT)
    assert b64(KAT2_KEY) == "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    assert ct.hex() == ("3c20b074b788a36faf7bb5efd88e1119e2baf0559c173a08160080eb781b69d1"
                        "2f71db88c7ae60f10ec50b84e7e97c57853c0eaf76f4c0b551e34f776cc1cf958d41")
    assert tag.hex() == "317842de37dee9abaebd192bb784edf8"
    assert data == ("AAECAwQFBgcICQoLPCCwdLeIo2+ve7Xv2I4RGeK68FWcFzoIFgCA63gbadEvcduIx65g8Q7FC"
                    "4Tn6XxXhTwOr3b0wLVR4093bMHPlY1BMXhC3jfe6auuvRkrt4Tt+A==")
    ct, tag, data = seal(D1_KEY, KAT_IV, b"")
    assert data == "AAECAwQFBgcICQoL6JUXclvEElsyNKDxa4zpEA=="
    assert tag.hex() == "e89517725bc4125b3234a0f16b8ce910"
    assert b64(URL3_KEY) == "+/+/+/+/+/+/+/+/+/+//g=="
    assert base64.urlsafe_b64encode(URL3_KEY).decode() == "-_-_-_-_-_-_-_-_-_-__g=="
    _, _, data = seal(URL3_KEY, KAT_IV, KAT1_PT)
    assert data == ("AAECAwQFBgcICQoLWcsXjU0v/yJ342YaWVxM1ZCGbUsaRCkcKSpHJ1cvXC9hp1t/KW1VchDft"
                    "B48oe0uhyUXzT/+zJJLQoDam6zWTfqG")


def flip(b, index, mask=1):
    out = bytearray(b)
    out[index] ^= mask
    return bytes(out)


# ---------------------------------------------------------------------------
# payload_aead

PAYLOAD_NOTES = {
    "Ktv": {"bugType": "BASIC",
            "description": "Known-answer vector from spec-catalogue part D.3."},
    "DraftSecret": {"bugType": "BASIC",
                    "description": "The key is the draft's example Secret (part D.1, D-1)."},
    "InterpretationC29": {
        "bugType": "DEFINED", "interpretation": "C-29",
        "description": "data = standard base64 of IV(12) || ciphertext || tag(16), empty AAD. "
                       "The draft only shows the layout hint 'IV  ciphertext  tag'; verdicts "
                       "resting on this are interpretation, not a hard MUST."},
    "InterpretationC31": {
        "bugType": "DEFINED", "interpretation": "C-31",
        "description": "A key whose length does not match the payload type is rejected."},
    "StandardAlphabet": {"bugType": "EDGE_CASE",
                         "description": "data contains '+' and '/' (standard base64 alphabet)."},
    "EmptyPlaintext": {"bugType": "EDGE_CASE",
                       "description": "Zero-length plaintext: data is exactly 28 octets."},
    "Padding": {"bugType": "EDGE_CASE",
                "description": "Plaintext length chosen so data ends with zero, one or two '='."},
    "LongPlaintext": {"bugType": "FUNCTIONALITY",
                      "description": "Plaintext spans many AES blocks."},
    "BinaryPlaintext": {"bugType": "FUNCTIONALITY",
                        "description": "Plaintext is not text: the AEAD layer must not care."},
    "ModifiedTag": {"bugType": "AUTH_BYPASS",
                    "description": "A tag bit was flipped; the payload must be rejected."},
    "ModifiedCiphertext": {"bugType": "AUTH_BYPASS",
                           "description": "A ciphertext bit was flipped; must be rejected."},
    "ModifiedIv": {"bugType": "AUTH_BYPASS",
                   "description": "An IV bit was flipped; must be rejected."},
    "WrongKey": {"bugType": "AUTH_BYPASS",
                 "description": "Authentic data opened under another key of the right length."},
    "TruncatedData": {"bugType": "AUTH_BYPASS",
                      "description": "Octets removed from or appended to authentic data."},
    "ShortData": {"bugType": "EDGE_CASE",
                  "description": "data decodes to fewer than 28 octets (IV + tag)."},
    "Base64UrlSafe": {"bugType": "MODIFIED_PARAMETER",
                      "description": "data written in the URL-safe alphabet; payloads use the "
                                     "standard alphabet only (C-29, PAYLOAD-07)."},
    "Base64Unpadded": {"bugType": "MODIFIED_PARAMETER",
                       "description": "data without its '=' padding (C-29, PAYLOAD-07)."},
    "Base64Whitespace": {"bugType": "MODIFIED_PARAMETER",
                         "description": "data with spaces or line breaks (MIME style)."},
    "Base64BadPadding": {"bugType": "MODIFIED_PARAMETER",
                         "description": "Too many '=' or '=' before the end."},
    "Base64NonCanonical": {"bugType": "MALLEABILITY",
                           "description": "Unused bits of the last symbol are not zero, so two "
                                          "strings would decode to the same octets."},
    "Base64BadCharacter": {"bugType": "MODIFIED_PARAMETER",
                           "description": "A character outside the base64 alphabet."},
    "DraftPlaceholder": {"bugType": "DEFINED",
                         "description": "A placeholder value printed in the draft (part D.1); it "
                                        "is not base64 and must be refused."},
    "KeyTypeMismatch": {"bugType": "MODIFIED_PARAMETER",
                        "description": "Key length does not match the payload type (PAYLOAD-17)."},
    "LegacyType": {"bugType": "LEGACY",
                   "description": "Pre-draft type name AES128/AES256 (PAYLOAD-18)."},
    "UnknownType": {"bugType": "MODIFIED_PARAMETER",
                    "description": "A type that is not one of the two RFC 5116 names."},
    "BadIvLength": {"bugType": "MODIFIED_PARAMETER",
                    "description": "Seal with an IV that is not 96 bits."},
}


def payload_tests():
    t = []

    def valid(num, slug, comment, flags, reqs, cipher, key, iv, pt):
        ct, tag, data = seal(key, iv, pt)
        t.append({
            "id": "payload-aead-%03d-%s" % (num, slug), "comment": comment, "flags": flags,
            "requirements": reqs, "operation": "roundtrip", "result": "valid", "cipher": cipher,
            "keyHex": key.hex(), "ivHex": iv.hex(), "plaintextHex": pt.hex(),
            "ciphertextHex": ct.hex(), "tagHex": tag.hex(), "dataBase64": data})

    def bad_open(num, slug, comment, flags, reqs, cipher, key, data, error):
        t.append({
            "id": "payload-aead-%03d-%s" % (num, slug), "comment": comment, "flags": flags,
            "requirements": reqs, "operation": "open", "result": "invalid", "cipher": cipher,
            "keyHex": key.hex(), "dataBase64": data, "error": error})

    def bad_seal(num, slug, comment, flags, reqs, cipher, key, iv, pt, error):
        t.append({
            "id": "payload-aead-%03d-%s" % (num, slug), "comment": comment, "flags": flags,
            "requirements": reqs, "operation": "seal", "result": "invalid", "cipher": cipher,
            "keyHex": key.hex(), "ivHex": iv.hex(), "plaintextHex": pt.hex(), "error": error})

    base = ["PAYLOAD-06", "PAYLOAD-07", "PAYLOAD-08"]
    c29 = ["InterpretationC29"]
    valid(1, "kat1", "KAT-1: AES-128 under the draft's example Secret D-1, the carkey plaintext",
          ["Ktv", "DraftSecret", "StandardAlphabet"] + c29, ["PAYLOAD-02"] + base + ["PAYLOAD-05"],
          A128, D1_KEY, KAT_IV, KAT1_PT)
    valid(2, "kat2", "KAT-2: AES-256 with key 00..1f, the generic authorizationToken plaintext",
          ["Ktv"] + c29, ["PAYLOAD-02"] + base + ["PAYLOAD-05"], A256, KAT2_KEY, KAT_IV, KAT2_PT)
    valid(3, "kat3-empty-plaintext",
          "KAT-3: empty plaintext under D-1, the minimum 28-octet payload (decrypts; the "
          "application then refuses it as not JSON)",
          ["Ktv", "DraftSecret", "EmptyPlaintext", "Padding"] + c29, base, A128, D1_KEY, KAT_IV,
          b"")
    valid(4, "kat-url-3-payload",
          "KAT-URL-3: the carkey plaintext under the fragment-robustness key fbffbf..fe",
          ["Ktv"] + c29, base, A128, URL3_KEY, KAT_IV, KAT1_PT)
    valid(5, "aes256-empty-plaintext", "AES-256 with an empty plaintext (28 octets of data)",
          ["EmptyPlaintext", "Padding"] + c29, ["PAYLOAD-02"] + base, A256, KAT2_KEY,
          bytes.fromhex("f0e1d2c3b4a5968778695a4b"), b"")
    valid(6, "aes128-one-octet", "One-octet plaintext: 29 octets, data ends with one '='",
          ["Padding"] + c29, base, A128, D1_KEY, bytes.fromhex("0a0b0c0d0e0f101112131415"),
          b"{")
    valid(7, "aes128-two-octets", "Two-octet plaintext: 30 octets, data has no padding",
          ["Padding"] + c29, base, A128, D1_KEY, bytes.fromhex("0a0b0c0d0e0f101112131415"),
          b"{}")
    info = json.dumps({"format": "digitalwallet.carkey.ccc",
                       "content": {"KeyCreationRequest": {"vehicleId": "WVWZZZ1JZXW000001",
                                                          "slot": 2,
                                                          "friendlyName": "Café Mülheim"}},
                       "x-extra": 1}, ensure_ascii=False, separators=(",", ":")).encode()
    valid(8, "aes256-provisioning-info-utf8",
          "AES-256 over a Provisioning Information with nested content, an extra top-level key "
          "and non-ASCII UTF-8", c29, ["PAYLOAD-02", "PAYLOAD-09", "PAYLOAD-13"] + base, A256,
          bytes(range(0x20, 0x40)), bytes.fromhex("cafebabefacedbaddecaf888"), info)
    valid(9, "aes128-long-plaintext", "A 1000-octet plaintext (63 AES blocks)",
          ["LongPlaintext"] + c29, base, A128, bytes.fromhex("feffe9928665731c6d6a8f9467308308"),
          bytes.fromhex("cafebabefacedbaddecaf888"), bytes((i * 7) % 256 for i in range(1000)))
    valid(10, "aes256-binary-plaintext", "Binary plaintext 00..ff under AES-256",
          ["BinaryPlaintext"] + c29, ["PAYLOAD-02"] + base, A256, bytes(range(0xff, 0xdf, -1)),
          bytes(12), bytes(range(256)))

    _, _, kat1 = seal(D1_KEY, KAT_IV, KAT1_PT)
    raw1 = base64.b64decode(kat1)
    _, _, kat2 = seal(KAT2_KEY, KAT_IV, KAT2_PT)
    raw2 = base64.b64decode(kat2)
    _, _, kat3 = seal(D1_KEY, KAT_IV, b"")
    raw3 = base64.b64decode(kat3)
    auth = "payload.auth_failed"
    r11 = ["PAYLOAD-11"]
    tampered = b64(flip(raw1, len(raw1) - 1))
    assert tampered.endswith("fZzF")
    bad_open(11, "kat1-tampered", "KAT-1-tampered: last tag octet XOR 1 (data ends ...fZzF)",
             ["Ktv", "ModifiedTag"] + c29, r11, A128, D1_KEY, tampered, auth)
    bad_open(12, "kat1-wrongkey", "KAT-1-wrongkey: KAT-1 data opened under key 00..0f",
             ["Ktv", "WrongKey"] + c29, r11, A128, WRONG_KEY, kat1, auth)
    bad_open(13, "kat2-modified-tag-first-octet", "KAT-2 with the first tag octet XOR 0x80",
             ["ModifiedTag"] + c29, r11, A256, KAT2_KEY, b64(flip(raw2, len(raw2) - 16, 0x80)),
             auth)
    bad_open(14, "kat2-modified-ciphertext", "KAT-2 with the first ciphertext octet XOR 1",
             ["ModifiedCiphertext"] + c29, r11, A256, KAT2_KEY, b64(flip(raw2, 12)), auth)
    bad_open(15, "kat1-modified-iv", "KAT-1 with the last IV octet XOR 1",
             ["ModifiedIv"] + c29, r11, A128, D1_KEY, b64(flip(raw1, 11)), auth)
    bad_open(16, "kat1-truncated-tag", "KAT-1 with the last 4 octets removed (12-octet tag)",
             ["TruncatedData"] + c29, r11, A128, D1_KEY, b64(raw1[:-4]), auth)
    bad_open(17, "kat1-appended-octet", "KAT-1 with one octet appended",
             ["TruncatedData"] + c29, r11, A128, D1_KEY, b64(raw1 + b"\x00"), auth)
    bad_open(18, "kat3-modified-tag", "KAT-3 (empty plaintext) with a tag bit flipped",
             ["Ktv", "ModifiedTag", "EmptyPlaintext"] + c29, r11, A128, D1_KEY,
             b64(flip(raw3, 27, 0x40)), auth)
    bad_open(19, "exactly-28-octets-forged", "28 octets (IV + all-zero tag) that are not "
             "authentic: the length check passes, the tag check must not",
             ["ModifiedTag", "EmptyPlaintext"] + c29, r11, A128, D1_KEY, b64(KAT_IV + bytes(16)),
             auth)
    short = "payload.too_short"
    bad_open(20, "short-27-octets", "27 octets: one short of IV + tag",
             ["ShortData"] + c29, r11, A128, D1_KEY, b64(raw3[:27]), short)
    bad_open(21, "short-iv-only", "12 octets: the IV alone", ["ShortData"] + c29, r11, A128,
             D1_KEY, b64(KAT_IV), short)
    bad_open(22, "short-empty-data", "Empty data string (0 octets)", ["ShortData"] + c29, r11,
             A128, D1_KEY, "", short)
    bad_open(23, "short-tag-only", "16 octets: a tag without its IV", ["ShortData"] + c29, r11,
             A256, KAT2_KEY, b64(raw2[-16:]), short)
    bad = "base64.invalid"
    b11 = ["PAYLOAD-07", "PAYLOAD-11"]
    urlsafe = base64.urlsafe_b64encode(raw1).decode()
    assert urlsafe != kat1
    bad_open(24, "kat1-urlsafe-alphabet", "KAT-1 data in the URL-safe alphabet ('-' and '_')",
             ["Base64UrlSafe"] + c29, b11, A128, D1_KEY, urlsafe, bad)
    bad_open(25, "kat2-unpadded", "KAT-2 data with its '==' padding removed",
             ["Base64Unpadded"] + c29, b11, A256, KAT2_KEY, kat2.rstrip("="), bad)
    bad_open(26, "kat1-line-break", "KAT-1 data broken after 64 characters (MIME style)",
             ["Base64Whitespace"] + c29, b11, A128, D1_KEY, kat1[:64] + "\n" + kat1[64:], bad)
    bad_open(27, "kat1-trailing-newline", "KAT-1 data followed by a newline",
             ["Base64Whitespace"] + c29, b11, A128, D1_KEY, kat1 + "\n", bad)
    bad_open(28, "kat1-leading-space", "KAT-1 data preceded by a space",
             ["Base64Whitespace"] + c29, b11, A128, D1_KEY, " " + kat1, bad)
    bad_open(29, "kat3-three-pad", "KAT-3 data ending in '===' (three padding characters)",
             ["Base64BadPadding"] + c29, b11, A128, D1_KEY, kat3[:-3] + "===", bad)
    bad_open(30, "kat2-pad-in-middle", "KAT-2 data with '=' replacing a character mid-string",
             ["Base64BadPadding"] + c29, b11, A256, KAT2_KEY, kat2[:20] + "=" + kat2[21:], bad)
    assert kat3.endswith("EA==")
    bad_open(31, "kat3-non-canonical", "KAT-3 data ending 'EB==': non-zero unused bits",
             ["Base64NonCanonical"] + c29, b11, A128, D1_KEY, kat3[:-3] + "B==", bad)
    bad_open(32, "draft-data-placeholder", "The draft's create example data 'FDEC...987654321'",
             ["DraftPlaceholder", "Base64BadCharacter"] + c29, b11, A128, D1_KEY,
             "FDEC...987654321", bad)
    bad_open(33, "draft-layout-hint", "The draft's layout hint 'IV  ciphertext  tag' (D-15)",
             ["DraftPlaceholder", "Base64BadCharacter"] + c29, b11, A128, D1_KEY,
             "IV  ciphertext  tag", bad)
    bad_open(34, "kat1-bad-character", "KAT-1 data with one character replaced by '*'",
             ["Base64BadCharacter"] + c29, b11, A128, D1_KEY, kat1[:40] + "*" + kat1[41:], bad)
    mism = "payload.key_length_mismatch"
    k17 = ["PAYLOAD-03", "PAYLOAD-17"]
    c31 = ["KeyTypeMismatch", "InterpretationC31"]
    bad_open(35, "kat1-as-aes256-16-octet-key",
             "KAT-1 data labelled AEAD_AES_256_GCM with the 16-octet D-1 key", c31, k17, A256,
             D1_KEY, kat1, mism)
    bad_open(36, "kat2-as-aes128-32-octet-key",
             "KAT-2 data labelled AEAD_AES_128_GCM with its 32-octet key", c31, k17, A128,
             KAT2_KEY, kat2, mism)
    bad_open(37, "aes128-24-octet-key", "A 24-octet (AES-192) key with AEAD_AES_128_GCM", c31,
             k17, A128, bytes(range(24)), kat1, mism)
    bad_open(38, "aes256-24-octet-key", "A 24-octet (AES-192) key with AEAD_AES_256_GCM", c31,
             k17, A256, bytes(range(24)), kat2, mism)
    unk = "payload.cipher_unknown"
    bad_open(39, "legacy-type-aes128", "Legacy type 'AES128' on KAT-1 data",
             ["LegacyType"], ["PAYLOAD-18"], "AES128", D1_KEY, kat1, unk)
    bad_open(40, "legacy-type-aes256", "Legacy type 'AES256' on KAT-2 data",
             ["LegacyType"], ["PAYLOAD-18"], "AES256", KAT2_KEY, kat2, unk)
    bad_open(41, "type-lower-case", "Type 'aead_aes_128_gcm' (names are case-sensitive)",
             ["UnknownType"], ["PAYLOAD-01"], "aead_aes_128_gcm", D1_KEY, kat1, unk)
    bad_open(42, "type-aes192", "Type 'AEAD_AES_192_GCM' is not mandatory-to-implement",
             ["UnknownType"], ["PAYLOAD-01"], "AEAD_AES_192_GCM", bytes(range(24)), kat1, unk)
    bad_open(43, "type-chacha20", "Type 'AEAD_CHACHA20_POLY1305'", ["UnknownType"],
             ["PAYLOAD-01"], "AEAD_CHACHA20_POLY1305", KAT2_KEY, kat2, unk)
    bad_open(44, "type-empty", "Empty type string", ["UnknownType"], ["PAYLOAD-01"], "", D1_KEY,
             kat1, unk)
    bad_seal(45, "seal-iv-8-octets", "Seal with a 64-bit IV", ["BadIvLength"] + c29,
             ["PAYLOAD-04"], A128, D1_KEY, bytes(8), KAT1_PT, "payload.iv_length")
    bad_seal(46, "seal-iv-16-octets", "Seal with a 128-bit IV", ["BadIvLength"] + c29,
             ["PAYLOAD-04"], A256, KAT2_KEY, bytes(16), KAT2_PT, "payload.iv_length")
    bad_seal(47, "seal-aes256-16-octet-key", "Seal AEAD_AES_256_GCM with the 16-octet D-1 key",
             c31, k17, A256, D1_KEY, KAT_IV, KAT1_PT, mism)
    bad_seal(48, "seal-aes128-32-octet-key", "Seal AEAD_AES_128_GCM with a 32-octet key", c31,
             k17, A128, KAT2_KEY, KAT_IV, KAT2_PT, mism)
    bad_seal(49, "seal-legacy-type", "Seal with legacy type 'AES128'", ["LegacyType"],
             ["PAYLOAD-18"], "AES128", D1_KEY, KAT_IV, KAT1_PT, unk)
    return t


# ---------------------------------------------------------------------------
# share_url

URL_NOTES = {
    "Ktv": {"bugType": "BASIC", "description": "KAT-URL-3 from spec-catalogue part D.3."},
    "DraftExample": {"bugType": "BASIC",
                     "description": "A Share URL printed in the drafts (part D.1, D-2 / D-3)."},
    "UuidV1": {"bugType": "EDGE_CASE", "interpretation": "C-25",
               "description": "The mailbox id is a version-1 UUID, as in the draft's own "
                              "example. Parsers accept any RFC 4122 UUID (C-25)."},
    "InterpretationC26": {"bugType": "DEFINED", "interpretation": "C-26",
                          "description": "urlLink / path shape is https://host/v<N>/m/<uuid>."},
    "InterpretationC27": {"bugType": "DEFINED", "interpretation": "C-27",
                          "description": "The fragment is the base64 of the raw 16- or 32-octet "
                                         "key; parsers percent-decode, then accept the standard or "
                                         "URL-safe alphabet, padded or not. Builders emit padded "
                                         "standard base64."},
    "InterpretationC33": {"bugType": "DEFINED", "interpretation": "C-33",
                          "description": "Vertical values are exactly a, h or c (lower case). The "
                                         "core refuses others; a device may instead fall back to "
                                         "general access (URL-05 accepts both)."},
    "UrlSafeSecret": {"bugType": "EDGE_CASE", "description": "Secret in the URL-safe alphabet."},
    "UnpaddedSecret": {"bugType": "EDGE_CASE", "description": "Secret without '=' padding."},
    "PercentEncodedSecret": {"bugType": "EDGE_CASE",
                             "description": "Secret characters percent-encoded by a channel."},
    "Port": {"bugType": "EDGE_CASE", "description": "The authority carries an explicit port."},
    "Ipv6Literal": {"bugType": "EDGE_CASE", "description": "The host is an IPv6 literal."},
    "NoFragment": {"bugType": "FUNCTIONALITY",
                   "description": "No Secret in the URL (separate delivery, C-28)."},
    "FutureVersion": {"bugType": "EDGE_CASE",
                      "description": "An API version other than v1 parses (v<digits>)."},
    "ExtraQuery": {"bugType": "EDGE_CASE",
                   "description": "Query parameters other than v are ignored (C-34)."},
    "BadScheme": {"bugType": "MODIFIED_PARAMETER", "description": "Scheme is not https."},
    "BadHost": {"bugType": "MODIFIED_PARAMETER",
                "description": "Authority is empty, carries user information, or a bad port."},
    "BadPath": {"bugType": "MODIFIED_PARAMETER", "description": "Path is not /v<N>/m/<id>."},
    "BadMailboxId": {"bugType": "MODIFIED_PARAMETER",
                     "description": "The id segment is not an RFC 4122 UUID."},
    "BadSecretLength": {"bugType": "MODIFIED_PARAMETER",
                        "description": "Fragment decodes to neither 16 nor 32 octets."},
    "BadSecretEncoding": {"bugType": "MODIFIED_PARAMETER",
                          "description": "Fragment is not base64 in one alphabet."},
    "BadVertical": {"bugType": "MODIFIED_PARAMETER", "description": "v is not a, h or c."},
    "NotAUrl": {"bugType": "MODIFIED_PARAMETER",
                "description": "Not an absolute URI at all."},
}


def url_tests():
    t = []
    num = [0]

    def nid(slug):
        num[0] += 1
        return "share-url-%03d-%s" % (num[0], slug)

    def parse_ok(slug, comment, flags, reqs, url, host, ver, mid, vertical=None, secret=None):
        v = {"id": nid(slug), "comment": comment, "flags": flags, "requirements": reqs,
             "operation": "parse", "result": "valid", "url": url, "relayHost": host,
             "apiVersion": ver, "mailboxId": mid}
        if vertical is not None:
            v["vertical"] = vertical
        if secret is not None:
            v["secretBase64"] = b64(secret)
            # Cross-check the fragment independently of the code under test.
            frag = urllib.parse.unquote(url.split("#", 1)[1]).replace("-", "+").replace("_", "/")
            assert base64.b64decode(frag + "=" * (-len(frag) % 4)) == secret, url
        t.append(v)

    def parse_bad(slug, comment, flags, reqs, url, error):
        t.append({"id": nid(slug), "comment": comment, "flags": flags, "requirements": reqs,
                  "operation": "parse", "result": "invalid", "url": url, "error": error})

    def strip(slug, comment, flags, reqs, url, stripped):
        t.append({"id": nid(slug), "comment": comment, "flags": flags, "requirements": reqs,
                  "operation": "strip", "result": "valid", "url": url, "strippedUrl": stripped})

    def build(slug, comment, flags, reqs, base, mid, vertical, secret, url=None, error=None):
        v = {"id": nid(slug), "comment": comment, "flags": flags, "requirements": reqs,
             "operation": "build", "result": "valid" if error is None else "invalid",
             "relayBaseUrl": base, "mailboxId": mid}
        if vertical is not None:
            v["vertical"] = vertical
        if secret is not None:
            v["secretBase64"] = b64(secret)
        if error is None:
            v["url"] = url
        else:
            v["error"] = error
        t.append(v)

    c27 = ["InterpretationC27"]
    host3 = "https://relay.test/v1/m/" + URL3_ID + "?v=c#"
    # --- parse, valid
    parse_ok("d2-draft-example", "D-2: the draft's example Share URL (car key, Secret D-1, v1 "
             "mailbox id)", ["DraftExample", "UuidV1"], ["URL-01", "URL-04", "URL-07", "RECIP-19"],
             D2_URL, "relayserver.example.com", "v1", D2_ID, "c", D1_KEY)
    parse_ok("d3-sample-impl-link", "D-3: the sample implementation's link without query or "
             "fragment", ["DraftExample", "UuidV1", "NoFragment"], ["URL-01", "URL-04"],
             "https://www.example.com/v1/m/" + D2_ID, "www.example.com", "v1", D2_ID)
    parse_ok("d3-sample-impl-share-url", "D-3: the sample implementation's Share URL",
             ["DraftExample", "UuidV1"], ["URL-01", "URL-04", "URL-07"],
             "https://www.example.com/v1/m/" + D2_ID + "?v=c#" + D1_SECRET_B64,
             "www.example.com", "v1", D2_ID, "c", D1_KEY)
    parse_ok("kat-url-3-standard", "KAT-URL-3: standard padded base64 with '+' and '/'",
             ["Ktv"] + c27, ["URL-07", "URL-09"], URL3_URL, "relay.test", "v1", URL3_ID, "c",
             URL3_KEY)
    parse_ok("kat-url-3-urlsafe", "KAT-URL-3 in the URL-safe alphabet",
             ["Ktv", "UrlSafeSecret"] + c27, ["URL-09"], host3 + "-_-_-_-_-_-_-_-_-_-__g==",
             "relay.test", "v1", URL3_ID, "c", URL3_KEY)
    parse_ok("kat-url-3-unpadded", "KAT-URL-3 standard alphabet without padding",
             ["Ktv", "UnpaddedSecret"] + c27, ["URL-09"], host3 + "+/+/+/+/+/+/+/+/+/+//g",
             "relay.test", "v1", URL3_ID, "c", URL3_KEY)
    parse_ok("kat-url-3-urlsafe-unpadded", "KAT-URL-3 URL-safe alphabet without padding",
             ["Ktv", "UrlSafeSecret", "UnpaddedSecret"] + c27, ["URL-09"],
             host3 + "-_-_-_-_-_-_-_-_-_-__g", "relay.test", "v1", URL3_ID, "c", URL3_KEY)
    parse_ok("kat-url-3-percent-encoded", "KAT-URL-3 with every '+', '/' and '=' "
             "percent-encoded", ["Ktv", "PercentEncodedSecret"] + c27, ["URL-09"],
             host3 + "%2B%2F" * 10 + "%2F" + "g%3D%3D", "relay.test", "v1", URL3_ID, "c",
             URL3_KEY)
    parse_ok("kat-url-3-percent-encoded-padding", "KAT-URL-3 with only the padding "
             "percent-encoded (lower-case hex)", ["Ktv", "PercentEncodedSecret"] + c27,
             ["URL-09"], host3 + "+/+/+/+/+/+/+/+/+/+//g%3d%3d", "relay.test", "v1", URL3_ID,
             "c", URL3_KEY)
    parse_ok("vertical-a", "Vertical a (general access)", [], ["URL-04"],
             "https://relay.test/v1/m/" + V4_ID + "?v=a#" + D1_SECRET_B64, "relay.test", "v1",
             V4_ID, "a", D1_KEY)
    parse_ok("vertical-h", "Vertical h (home key)", [], ["URL-04"],
             "https://relay.test/v1/m/" + V4_ID + "?v=h#" + D1_SECRET_B64, "relay.test", "v1",
             V4_ID, "h", D1_KEY)
    parse_ok("vertical-absent", "No query: general access, Secret D-1", [], ["URL-04"],
             "https://relay.test/v1/m/" + V4_ID + "#" + D1_SECRET_B64, "relay.test", "v1", V4_ID,
             None, D1_KEY)
    parse_ok("port-in-host", "Explicit port: relayHost keeps ':8443'", ["Port"],
             ["URL-01", "URL-03"], "https://relay.test:8443/v1/m/" + V4_ID + "?v=h",
             "relay.test:8443", "v1", V4_ID, "h")
    parse_ok("ipv6-loopback-with-port", "IPv6 loopback literal with a port, as used in tests",
             ["Port", "Ipv6Literal"], ["URL-01"],
             "https://[::1]:41443/v1/m/" + V4_ID + "#" + D1_SECRET_B64, "[::1]:41443", "v1",
             V4_ID, None, D1_KEY)
    parse_ok("secret-256-bit", "A 32-octet Secret (44 characters, one '=')", c27,
             ["URL-07", "PAYLOAD-02"],
             "https://relay.test/v1/m/" + V4_ID + "?v=a#" + b64(KAT2_KEY), "relay.test", "v1",
             V4_ID, "a", KAT2_KEY)
    parse_ok("uppercase-uuid", "Mailbox id in upper-case hex is kept as written", [],
             ["URL-01"], "https://relay.test/v1/m/" + V4_ID.upper(), "relay.test", "v1",
             V4_ID.upper())
    parse_ok("extra-query-parameter", "An unknown query parameter before v is ignored",
             ["ExtraQuery"], ["URL-04"], "https://relay.test/v1/m/" + V4_ID + "?lang=en&v=h",
             "relay.test", "v1", V4_ID, "h")
    parse_ok("api-version-v2", "Path /v2/m/<id> parses with apiVersion 'v2'",
             ["FutureVersion", "InterpretationC26"], ["URL-12"],
             "https://relay.test/v2/m/" + V4_ID, "relay.test", "v2", V4_ID)
    # --- parse, invalid
    parse_bad("http-scheme", "D-2 with http instead of https", ["BadScheme"],
              ["URL-02", "RECIP-14"], "http" + D2_URL[5:], "url.not_https")
    parse_bad("ftp-scheme", "ftp scheme", ["BadScheme"], ["URL-02"],
              "ftp://relay.test/v1/m/" + V4_ID, "url.not_https")
    parse_bad("missing-host", "Empty authority: https:///v1/m/<id>", ["BadHost"], ["URL-01"],
              "https:///v1/m/" + V4_ID, "url.bad_host")
    parse_bad("userinfo", "User information before the host", ["BadHost"],
              ["URL-01", "URL-14"], "https://alice@relay.test/v1/m/" + V4_ID, "url.bad_host")
    parse_bad("port-zero", "Port 0 is not a usable port", ["BadHost", "Port"], ["URL-01"],
              "https://relay.test:0/v1/m/" + V4_ID, "url.bad_host")
    parse_bad("path-wrong-collection", "Path /v1/x/<id>", ["BadPath", "InterpretationC26"],
              ["URL-01"], "https://relay.test/v1/x/" + V4_ID, "url.bad_path")
    parse_bad("path-missing-version", "Path /m/<id> (the shape of the draft's urlLink example "
              "D-7)", ["BadPath", "InterpretationC26"], ["URL-01", "URL-12"],
              "https://relayserver.example.com/m/" + V4_ID, "url.bad_path")
    parse_bad("path-extra-segment", "Path /v1/m/<id>/extra", ["BadPath"], ["URL-01"],
              "https://relay.test/v1/m/" + V4_ID + "/extra", "url.bad_path")
    parse_bad("path-trailing-slash", "Path /v1/m/<id>/", ["BadPath"], ["URL-01"],
              "https://relay.test/v1/m/" + V4_ID + "/", "url.bad_path")
    parse_bad("path-version-not-numeric", "Path /vx/m/<id>", ["BadPath"], ["URL-01"],
              "https://relay.test/vx/m/" + V4_ID, "url.bad_path")
    parse_bad("path-version-upper-case", "Path /V1/m/<id>", ["BadPath"], ["URL-01"],
              "https://relay.test/V1/m/" + V4_ID, "url.bad_path")
    parse_bad("path-empty", "No path at all", ["BadPath"], ["URL-01"], "https://relay.test",
              "url.bad_path")
    parse_bad("id-not-uuid", "D-6: mailbox id '1234567890'", ["BadMailboxId", "DraftExample"],
              ["URL-01"], "https://relayserver.example.com/v1/m/1234567890",
              "url.bad_mailbox_id")
    parse_bad("id-bad-variant", "UUID text whose variant nibble is 7 (not RFC 4122)",
              ["BadMailboxId"], ["URL-01"],
              "https://relay.test/v1/m/2bba630e-519b-11ec-7f63-0242ac130002",
              "url.bad_mailbox_id")
    parse_bad("id-no-hyphens", "UUID without hyphens", ["BadMailboxId"], ["URL-01"],
              "https://relay.test/v1/m/" + V4_ID.replace("-", ""), "url.bad_mailbox_id")
    for n in (15, 17, 31, 33):
        parse_bad("secret-%d-octets" % n, "Fragment decodes to %d octets" % n,
                  ["BadSecretLength"] + c27, ["URL-07", "PAYLOAD-03"],
                  "https://relay.test/v1/m/" + V4_ID + "?v=c#" + b64(bytes(range(n))),
                  "url.bad_secret")
    parse_bad("secret-not-base64", "Fragment with characters outside both alphabets",
              ["BadSecretEncoding"] + c27, ["URL-07"],
              "https://relay.test/v1/m/" + V4_ID + "#hXlr6aRC7KgJ*OLTNZaLsw!!",
              "url.bad_secret")
    parse_bad("secret-mixed-alphabets", "Fragment mixing '+' and '_'",
              ["BadSecretEncoding"] + c27, ["URL-07", "URL-09"],
              "https://relay.test/v1/m/" + V4_ID + "#+_+/+/+/+/+/+/+/+/+//g==", "url.bad_secret")
    parse_bad("secret-non-canonical", "D-1 with non-zero unused bits ('...Lsx==')",
              ["BadSecretEncoding"] + c27, ["URL-07"],
              "https://relay.test/v1/m/" + V4_ID + "#hXlr6aRC7KgJpOLTNZaLsx==", "url.bad_secret")
    parse_bad("vertical-unknown", "Vertical 'z'", ["BadVertical", "InterpretationC33"],
              ["URL-05"], "https://relay.test/v1/m/" + V4_ID + "?v=z", "url.bad_vertical")
    parse_bad("vertical-upper-case", "Vertical 'C' (values are lower case)",
              ["BadVertical", "InterpretationC33"], ["URL-05"],
              "https://relay.test/v1/m/" + V4_ID + "?v=C#" + D1_SECRET_B64, "url.bad_vertical")
    parse_bad("vertical-empty", "Empty vertical 'v='", ["BadVertical", "InterpretationC33"],
              ["URL-05"], "https://relay.test/v1/m/" + V4_ID + "?v=", "url.bad_vertical")
    parse_bad("not-a-url", "Plain text", ["NotAUrl"], ["URL-01"], "relay server example",
              "url.invalid")
    parse_bad("relative-reference", "A path without scheme and host", ["NotAUrl"], ["URL-01"],
              "/v1/m/" + V4_ID + "?v=c", "url.invalid")
    # --- strip
    strip("strip-d2", "Stripping the fragment of D-2 keeps the query", ["DraftExample"],
          ["URL-08", "RECIP-01"], D2_URL, D2_URL.split("#")[0])
    strip("strip-percent-encoded", "Stripping a percent-encoded fragment",
          ["PercentEncodedSecret"], ["URL-08", "RECIP-01"],
          host3 + "%2B%2F" * 10 + "%2F" + "g%3D%3D", host3[:-1])
    strip("strip-no-fragment", "A URL without fragment is unchanged", ["NoFragment"],
          ["URL-08"], "https://relay.test:8443/v1/m/" + V4_ID, "https://relay.test:8443/v1/m/"
          + V4_ID)
    # --- build
    build("build-d2", "Building D-2 from its parts gives the draft's exact string",
          ["DraftExample", "UuidV1"] + c27, ["URL-06", "URL-07", "URL-10"],
          "https://relayserver.example.com", D2_ID, "c", D1_KEY, url=D2_URL)
    build("build-kat-url-3", "Building KAT-URL-3 keeps '+', '/' and '=' unescaped",
          ["Ktv"] + c27, ["URL-06", "URL-07"], "https://relay.test", URL3_ID, "c", URL3_KEY,
          url=URL3_URL)
    build("build-link-only", "No vertical, no Secret: the urlLink itself",
          ["NoFragment", "InterpretationC26"], ["URL-10", "URL-11"], "https://relay.test",
          V4_ID, None, None, url="https://relay.test/v1/m/" + V4_ID)
    build("build-port-vertical-h", "Port kept, vertical h, Secret delivered separately",
          ["Port", "NoFragment"], ["URL-04", "URL-10"], "https://relay.test:8443", V4_ID, "h",
          None, url="https://relay.test:8443/v1/m/" + V4_ID + "?v=h")
    build("build-256-bit-secret", "32-octet Secret, vertical a", c27, ["URL-07"],
          "https://relay.test", V4_ID, "a", KAT2_KEY,
          url="https://relay.test/v1/m/" + V4_ID + "?v=a#" + b64(KAT2_KEY))
    build("build-base-trailing-slash", "A trailing '/' on the base URL is not doubled", [],
          ["URL-10"], "https://relay.test/", V4_ID, None, D1_KEY,
          url="https://relay.test/v1/m/" + V4_ID + "#" + D1_SECRET_B64)
    build("build-bad-vertical", "Vertical 'z' is refused", ["BadVertical", "InterpretationC33"],
          ["URL-04"], "https://relay.test", V4_ID, "z", D1_KEY, error="url.bad_vertical")
    build("build-secret-15-octets", "A 15-octet Secret is refused", ["BadSecretLength"] + c27,
          ["URL-07", "PAYLOAD-03"], "https://relay.test", V4_ID, "c", bytes(15),
          error="url.bad_secret")
    build("build-secret-24-octets", "A 24-octet Secret is refused", ["BadSecretLength"] + c27,
          ["URL-07", "PAYLOAD-03"], "https://relay.test", V4_ID, None, bytes(24),
          error="url.bad_secret")
    build("build-bad-mailbox-id", "Mailbox id '1234567890' is refused", ["BadMailboxId"],
          ["URL-01"], "https://relay.test", "1234567890", None, None,
          error="url.bad_mailbox_id")
    build("build-base-not-a-url", "Base URL that is not a URL", ["NotAUrl"], ["URL-10"],
          "relay.test", V4_ID, None, None, error="url.invalid")
    return t


# ---------------------------------------------------------------------------
# messages

MSG_NOTES = {
    "DraftExample": {"bugType": "BASIC",
                     "description": "Shape or values taken from a draft example (part D.1)."},
    "Minimal": {"bugType": "FUNCTIONALITY", "description": "Only the required fields."},
    "UnknownField": {"bugType": "FUNCTIONALITY",
                     "description": "Carries a field the draft does not define. Lenient parsing "
                                    "ignores it (dropped on re-serialisation, RELAY-06/21); "
                                    "strict parsing refuses it."},
    "ExtraTopLevelKey": {"bugType": "FUNCTIONALITY",
                         "description": "Provisioning Information keeps unknown top-level keys "
                                        "verbatim (PAYLOAD-13)."},
    "Strict": {"bugType": "DEFINED", "description": "Parsed with strict = true."},
    "MissingField": {"bugType": "MISSING_STEP", "description": "A required field is absent."},
    "WrongType": {"bugType": "MODIFIED_PARAMETER", "description": "A field has the wrong JSON type."},
    "BadValue": {"bugType": "MODIFIED_PARAMETER",
                 "description": "A field has the right type but an invalid value."},
    "UnparseableJson": {"bugType": "MODIFIED_PARAMETER", "description": "Not JSON at all."},
    "InterpretationC12": {"bugType": "DEFINED", "interpretation": "C-12",
                          "description": "ReadSecureContent's payload is the {type, data} object; "
                                         "a JSON string is refused."},
    "InterpretationC13": {"bugType": "DEFINED", "interpretation": "C-13",
                          "description": "ReadSecureContent's request body may be empty or an "
                                         "object with an optional notificationToken."},
    "InterpretationC16": {"bugType": "DEFINED", "interpretation": "C-16",
                          "description": "mailboxConfiguration may be absent, or present "
                                         "without expiration (the relay applies a default)."},
    "InterpretationC23": {"bugType": "DEFINED", "interpretation": "C-23",
                          "description": "A malformed expiration is refused (400)."},
    "InterpretationC24": {"bugType": "DEFINED", "interpretation": "C-24",
                          "description": "Parsers accept general RFC 3339 (fraction, offset); "
                                         "senders emit YYYY-MM-DDThh:mm:ssZ."},
    "InterpretationC32": {"bugType": "DEFINED", "interpretation": "C-32",
                          "description": "An unknown format parses; the application refuses it "
                                         "gracefully afterwards."},
    "InterpretationRelay49": {"bugType": "DEFINED",
                              "description": "accessRights is a non-empty set of distinct "
                                             "upper-case letters from R, W, D (RELAY-49)."},
}


def msg_tests():
    t = []
    num = [0]

    def add(slug, comment, flags, reqs, message, body, expected=None, error=None, field=None,
            strict=None):
        num[0] += 1
        v = {"id": "messages-%03d-%s" % (num[0], slug), "comment": comment, "flags": flags,
             "requirements": reqs, "message": message}
        if strict is not None:
            v["strict"] = strict
        v["body"] = body if isinstance(body, str) else dumps(body)
        if error is None:
            v["result"] = "valid"
            v["expected"] = expected if expected is not None else body
        else:
            v["result"] = "invalid"
            v["error"] = error
            if field is not None:
                v["field"] = field
        t.append(v)

    def dumps(obj):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    _, _, kat1 = seal(D1_KEY, KAT_IV, KAT1_PT)
    _, _, kat2 = seal(KAT2_KEY, KAT_IV, KAT2_PT)
    p1 = {"type": A128, "data": kat1}
    p2 = {"type": A256, "data": kat2}
    disp = {"title": "Hotel Pass", "description": "Some Hotel Pass",
            "imageURL": "https://example.com/sharingImage"}
    tok = {"type": "com.apple.apns", "tokenData": "APNS1234...QW"}
    cfg = {"accessRights": "RWD", "expiration": "2030-02-08T14:57:22Z"}
    create_full = {"payload": p1, "displayInformation": disp, "notificationToken": tok,
                   "mailboxConfiguration": cfg}
    PI = "ProvisioningInfo"
    NPI = "payload.not_provisioning_info"

    # Provisioning Information
    add("pi-carkey", "KAT-1 plaintext: carkey format, empty content", [], ["PAYLOAD-09"], PI,
        KAT1_PT.decode(), expected=json.loads(KAT1_PT))
    add("pi-generic-token", "KAT-2 plaintext: generic authorizationToken", [], ["PAYLOAD-09"],
        PI, KAT2_PT.decode(), expected=json.loads(KAT2_PT))
    extra = {"format": "digitalwallet.carkey.ccc",
             "content": {"KeyCreationRequest": {"slot": 2}}, "x-extra": 1,
             "x-vendor": {"nested": [1, "two", None]}}
    add("pi-extra-top-level-keys", "Unknown top-level keys are kept verbatim",
        ["ExtraTopLevelKey"], ["PAYLOAD-13", "RECIP-06"], PI, extra)
    add("pi-unknown-format", "format 'example.unknown' parses; refusal is the application's",
        ["InterpretationC32"], ["PAYLOAD-14"], PI,
        {"format": "example.unknown", "content": {"a": 1}})
    add("pi-missing-format", "No format", ["MissingField"], ["PAYLOAD-09"], PI,
        {"content": {}}, error=NPI, field="format")
    add("pi-format-not-string", "format is a number", ["WrongType"], ["PAYLOAD-09"], PI,
        {"format": 7, "content": {}}, error=NPI, field="format")
    add("pi-missing-content", "No content", ["MissingField"], ["PAYLOAD-09"], PI,
        {"format": "digitalwallet.carkey.ccc"}, error=NPI, field="content")
    add("pi-content-string", "content is a string, not an object", ["WrongType"],
        ["PAYLOAD-09"], PI, {"format": "digitalwallet.carkey.ccc", "content": "{}"}, error=NPI,
        field="content")
    add("pi-content-array", "content is an array", ["WrongType"], ["PAYLOAD-09"], PI,
        {"format": "digitalwallet.carkey.ccc", "content": []}, error=NPI, field="content")
    add("pi-empty-plaintext", "KAT-3's empty plaintext is not JSON", ["UnparseableJson"],
        ["PAYLOAD-09"], PI, "", error=NPI)
    add("pi-top-level-array", "A JSON array instead of an object", ["WrongType"],
        ["PAYLOAD-09"], PI, [KAT1_PT.decode()], error=NPI)
    add("pi-draft-comment", "D-16 as printed: a // comment makes it invalid JSON",
        ["DraftExample", "UnparseableJson"], ["PAYLOAD-09"], PI,
        '{"format":"digitalwallet.carkey.ccc","content":{ // Format specific fields }}',
        error=NPI)

    CR = "CreateMailboxRequest"
    add("create-full", "Every field: D-8 values with a real KAT-1 payload and a future "
        "expiration", ["DraftExample"], ["RELAY-01", "RELAY-09"], CR, create_full)
    add("create-minimal", "Only payload and displayInformation", ["Minimal", "InterpretationC16"],
        ["RELAY-09", "RELAY-11"], CR, {"payload": p1, "displayInformation": disp})
    add("create-config-without-expiration", "mailboxConfiguration with accessRights only",
        ["InterpretationC16"], ["RELAY-11"], CR,
        {"payload": p2, "displayInformation": disp, "mailboxConfiguration": {"accessRights": "RW"}})
    add("create-expiration-offset", "Expiration with an offset and a fraction is accepted",
        ["InterpretationC24"], ["RELAY-47"], CR,
        {"payload": p1, "displayInformation": disp,
         "mailboxConfiguration": {"expiration": "2030-02-08T15:57:22.5+01:00"}})
    lenient = dict(create_full, mailboxIdentifier=V4_ID)
    add("create-unknown-field-lenient", "A client-chosen mailboxIdentifier is ignored",
        ["UnknownField"], ["RELAY-06"], CR, lenient, expected=create_full)
    add("create-unknown-field-strict", "The same body under strict parsing",
        ["UnknownField", "Strict"], ["RELAY-06"], CR, lenient, error="json.field_unknown",
        field="mailboxIdentifier", strict=True)
    add("create-unknown-nested-field-strict", "Unknown key inside notificationToken, strict",
        ["UnknownField", "Strict"], ["RELAY-13"], CR,
        dict(create_full, notificationToken=dict(tok, expires=1)), error="json.field_unknown",
        field="notificationToken.expires", strict=True)

    def without(obj, path):
        out = json.loads(json.dumps(obj))
        cur = out
        for p in path[:-1]:
            cur = cur[p]
        del cur[path[-1]]
        return out

    def with_value(obj, path, value):
        out = json.loads(json.dumps(obj))
        cur = out
        for p in path[:-1]:
            cur = cur[p]
        cur[path[-1]] = value
        return out

    miss, wt, inv = "json.field_missing", "json.field_type", "json.field_invalid"
    add("create-missing-payload", "No payload", ["MissingField"], ["RELAY-09"], CR,
        without(create_full, ["payload"]), error=miss, field="payload")
    add("create-missing-payload-type", "payload without type", ["MissingField"],
        ["RELAY-09", "PAYLOAD-01"], CR, without(create_full, ["payload", "type"]), error=miss,
        field="payload.type")
    add("create-missing-payload-data", "payload without data", ["MissingField"],
        ["RELAY-09", "PAYLOAD-01"], CR, without(create_full, ["payload", "data"]), error=miss,
        field="payload.data")
    add("create-payload-data-number", "payload.data is a number", ["WrongType"],
        ["RELAY-09", "PAYLOAD-01"], CR, with_value(create_full, ["payload", "data"], 12345),
        error=wt, field="payload.data")
    add("create-payload-string", "payload is a string holding the object", ["WrongType"],
        ["RELAY-09", "PAYLOAD-01"], CR, with_value(create_full, ["payload"], json.dumps(p1)),
        error=wt, field="payload")
    add("create-missing-display-information", "No displayInformation", ["MissingField"],
        ["RELAY-09"], CR, without(create_full, ["displayInformation"]), error=miss,
        field="displayInformation")
    add("create-title-wrong-type", "displayInformation.title is a number", ["WrongType"],
        ["RELAY-09"], CR, with_value(create_full, ["displayInformation", "title"], 42), error=wt,
        field="displayInformation.title")
    add("create-missing-description", "displayInformation without description",
        ["MissingField"], ["RELAY-09"], CR,
        without(create_full, ["displayInformation", "description"]), error=miss,
        field="displayInformation.description")
    add("create-missing-image-url", "displayInformation without imageURL", ["MissingField"],
        ["RELAY-09"], CR, without(create_full, ["displayInformation", "imageURL"]), error=miss,
        field="displayInformation.imageURL")
    add("create-token-missing-token-data", "notificationToken without tokenData",
        ["MissingField"], ["RELAY-13"], CR,
        without(create_full, ["notificationToken", "tokenData"]), error=miss,
        field="notificationToken.tokenData")
    for slug, rights, why in (("rwx", "RWX", "'X' is not a right"),
                              ("lower-case", "rwd", "rights are upper case"),
                              ("repeated", "RRW", "'R' repeated"),
                              ("empty", "", "empty string")):
        add("create-access-rights-" + slug, "accessRights '%s': %s" % (rights, why),
            ["BadValue", "InterpretationRelay49"], ["RELAY-49"], CR,
            with_value(create_full, ["mailboxConfiguration", "accessRights"], rights),
            error=inv, field="mailboxConfiguration.accessRights")
    add("create-access-rights-array", "accessRights as an array of letters", ["WrongType"],
        ["RELAY-49"], CR,
        with_value(create_full, ["mailboxConfiguration", "accessRights"], ["R", "W"]), error=wt,
        field="mailboxConfiguration.accessRights")
    for slug, value, why in (("tomorrow", "tomorrow", "a word, not a timestamp (RELAY-47)"),
                             ("month-13", "2030-13-08T14:57:22Z", "month 13"),
                             ("no-zone", "2030-02-08T14:57:22", "no time zone"),
                             ("february-30", "2030-02-30T14:57:22Z", "no such date")):
        add("create-expiration-" + slug, "expiration '%s': %s" % (value, why),
            ["BadValue", "InterpretationC23"], ["RELAY-47"], CR,
            with_value(create_full, ["mailboxConfiguration", "expiration"], value), error=inv,
            field="mailboxConfiguration.expiration")
    add("create-expiration-number", "expiration as a Unix time number", ["WrongType"],
        ["RELAY-47"], CR,
        with_value(create_full, ["mailboxConfiguration", "expiration"], 1896965842), error=wt,
        field="mailboxConfiguration.expiration")
    draft_d8 = ('{"payload":{"type":"AEAD_AES_128_GCM","data":"FDEC...987654321"},'
                '"notificationToken":{"type":"com.apple.apns","tokenData":\u201cAPNS...1234"}}')
    add("create-draft-curly-quote", "D-8 as printed: tokenData opens with a curly quote",
        ["DraftExample", "UnparseableJson"], ["RELAY-10"], CR, draft_d8, error="json.invalid")
    add("create-truncated-json", "Body cut off mid-object", ["UnparseableJson"], ["RELAY-10"], CR,
        dumps(create_full)[:57], error="json.invalid")
    add("create-trailing-comma", "A trailing comma", ["UnparseableJson"], ["RELAY-10"], CR,
        dumps({"payload": p1, "displayInformation": disp})[:-1] + ",}", error="json.invalid")
    add("create-body-array", "A JSON array body", ["WrongType"], ["RELAY-10"], CR,
        [create_full], error=wt)

    CRS = "CreateMailboxResponse"
    add("create-response", "urlLink and isPushNotificationSupported", [], ["RELAY-01"], CRS,
        {"urlLink": "https://relay.test/v1/m/" + V4_ID, "isPushNotificationSupported": False})
    add("create-response-draft-shape", "D-7: valid JSON, but its urlLink is not a Share URL "
        "(see share-url-025-path-missing-version); parsing the body succeeds", ["DraftExample"], ["RELAY-01"], CRS,
        {"urlLink": "https://relayserver.example.com/m/12345678-9...A-BCD",
         "isPushNotificationSupported": True})
    add("create-response-missing-push-flag", "No isPushNotificationSupported", ["MissingField"],
        ["RELAY-01"], CRS, {"urlLink": "https://relay.test/v1/m/" + V4_ID}, error=miss,
        field="isPushNotificationSupported")
    add("create-response-push-flag-string", "isPushNotificationSupported as the string 'true'",
        ["WrongType"], ["RELAY-01"], CRS,
        {"urlLink": "https://relay.test/v1/m/" + V4_ID, "isPushNotificationSupported": "true"},
        error=wt, field="isPushNotificationSupported")
    add("create-response-missing-url-link", "No urlLink", ["MissingField"], ["RELAY-01"], CRS,
        {"isPushNotificationSupported": True}, error=miss, field="urlLink")

    UR = "UpdateMailboxRequest"
    add("update-with-token", "KAT-2 payload plus the D-9 token", ["DraftExample"],
        ["RELAY-17", "RECIP-10"], UR, {"payload": p2, "notificationToken": tok})
    add("update-payload-only", "Payload only", ["Minimal"], ["RELAY-17"], UR, {"payload": p1})
    add("update-display-information-ignored", "displayInformation in an update is not part of "
        "the body and is dropped", ["UnknownField"], ["RELAY-21"], UR,
        {"payload": p1, "displayInformation": disp}, expected={"payload": p1})
    add("update-missing-payload", "Token only", ["MissingField"], ["RELAY-17"], UR,
        {"notificationToken": tok}, error=miss, field="payload")
    add("update-payload-null", "payload is null", ["WrongType"], ["RELAY-17"], UR,
        {"payload": None}, error=wt, field="payload")

    URS = "UpdateMailboxResponse"
    add("update-response-d11", "D-11 exactly", ["DraftExample"], ["RELAY-17"], URS,
        '{"isPushNotificationSupported":true}', expected={"isPushNotificationSupported": True})
    add("update-response-empty-object", "An empty object", ["MissingField"], ["RELAY-17"], URS,
        {}, error=miss, field="isPushNotificationSupported")

    RR = "ReadSecureContentRequest"
    add("read-request-empty-body", "No body at all", ["InterpretationC13"], ["RELAY-16"], RR, "",
        expected={})
    add("read-request-empty-object", "An empty JSON object", ["InterpretationC13"],
        ["RELAY-16"], RR, {})
    add("read-request-with-token", "A notificationToken on the read", ["InterpretationC13"],
        ["RELAY-16"], RR, {"notificationToken": {"type": "webhook",
                                                   "tokenData": "https://push.test/t/1"}})
    add("read-request-token-type-number", "notificationToken.type is a number",
        ["WrongType", "InterpretationC13"], ["RELAY-16"], RR,
        {"notificationToken": {"type": 1, "tokenData": "x"}}, error=wt,
        field="notificationToken.type")

    RRS = "ReadSecureContentResponse"
    read_ok = {"payload": p1, "displayInformation": disp, "expiration": "2030-02-08T14:57:22Z"}
    add("read-response", "payload object, displayInformation and expiration", [],
        ["RELAY-16"], RRS, read_ok)
    add("read-response-expiration-fraction", "Expiration with a fraction and an offset "
        "parses (kept as sent)", ["InterpretationC24"], ["RELAY-16"], RRS,
        dict(read_ok, expiration="2030-02-08T16:57:22.250+02:00"))
    add("read-response-payload-string", "payload as a JSON string holding the object",
        ["WrongType", "InterpretationC12"], ["RELAY-16"], RRS,
        dict(read_ok, payload=json.dumps(p1)), error=wt, field="payload")
    add("read-response-missing-expiration", "No expiration", ["MissingField"], ["RELAY-16"],
        RRS, without(read_ok, ["expiration"]), error=miss, field="expiration")
    add("read-response-expiration-malformed", "expiration '2030-02-08'", ["BadValue"],
        ["RELAY-16"], RRS, dict(read_ok, expiration="2030-02-08"), error=inv,
        field="expiration")
    add("read-response-missing-title", "displayInformation without title", ["MissingField"],
        ["RELAY-16"], RRS, without(read_ok, ["displayInformation", "title"]), error=miss,
        field="displayInformation.title")
    add("read-response-unknown-field-strict", "An extra top-level key under strict parsing",
        ["UnknownField", "Strict"], ["RELAY-16"], RRS, dict(read_ok, mailboxId=V4_ID),
        error="json.field_unknown", field="mailboxId", strict=True)
    return t


# ---------------------------------------------------------------------------
# Wycheproof-style fixture (Wycheproof's AEAD schema, our own values)

def wycheproof_fixture():
    groups = []
    count = 0

    def test(tc, comment, flags, key, iv, aad, msg, result, tamper=None):
        out = AESGCM(key).encrypt(iv, msg, aad or None) if len(iv) > 0 else None
        ct, tag = out[:-16], out[-16:]
        if tamper == "tag":
            tag = flip(tag, 0)
        elif tamper == "ct":
            ct = flip(ct, 0)
        return {"tcId": tc, "comment": comment, "flags": flags, "key": key.hex(),
                "iv": iv.hex(), "aad": aad.hex(), "msg": msg.hex(), "ct": ct.hex(),
                "tag": tag.hex(), "result": result}

    def short_tag(tc, comment, key, iv, msg, tag_bytes):
        ct_tag = AESGCM(key).encrypt(iv, msg, None)
        return {"tcId": tc, "comment": comment, "flags": ["ShortTag"], "key": key.hex(),
                "iv": iv.hex(), "aad": "", "msg": msg.hex(), "ct": ct_tag[:-16].hex(),
                "tag": ct_tag[-16:][:tag_bytes].hex(), "result": "valid"}

    k128 = bytes.fromhex("00112233445566778899aabbccddeeff")
    k192 = bytes(range(24))
    k256 = bytes(range(0x40, 0x60))
    iv12 = bytes.fromhex("101112131415161718191a1b")
    g1 = [test(1, "empty message", ["Ktv"], k128, iv12, b"", b"", "valid"),
          test(2, "one block", ["Ktv"], k128, iv12, b"", bytes(range(16)), "valid"),
          test(3, "34-octet message", ["Ktv"], k128, iv12, b"", KAT1_PT[:34], "valid"),
          test(4, "modified tag", ["ModifiedTag"], k128, iv12, b"", bytes(range(16)), "invalid",
               "tag"),
          test(5, "non-empty aad (the protocol uses none)", ["Aad"], k128, iv12,
               b"header", bytes(range(8)), "valid"),
          test(6, "acceptable: authentic, flagged for illustration", ["Acceptable"], k128, iv12,
               b"", b"abc", "acceptable")]
    groups.append({"ivSize": 96, "keySize": 128, "tagSize": 128, "type": "AeadTest",
                   "tests": g1})
    g2 = [test(7, "KAT-2 plaintext", ["Ktv"], k256, iv12, b"", KAT2_PT, "valid"),
          test(8, "modified ciphertext", ["ModifiedCiphertext"], k256, iv12, b"",
               KAT2_PT, "invalid", "ct"),
          test(9, "modified tag", ["ModifiedTag"], k256, iv12, b"", b"", "invalid", "tag")]
    groups.append({"ivSize": 96, "keySize": 256, "tagSize": 128, "type": "AeadTest",
                   "tests": g2})
    g3 = [test(10, "AES-192 is not a protocol cipher", ["Ktv"], k192, iv12, b"", b"x", "valid"),
          test(11, "AES-192 again", ["Ktv"], k192, iv12, b"", b"", "valid")]
    groups.append({"ivSize": 96, "keySize": 192, "tagSize": 128, "type": "AeadTest",
                   "tests": g3})
    iv8 = bytes.fromhex("0102030405060708")
    g4 = [test(12, "64-bit IV", ["SmallIv"], k128, iv8, b"", b"abc", "valid"),
          test(13, "64-bit IV, modified tag", ["SmallIv", "ModifiedTag"], k128, iv8, b"",
               b"abc", "invalid", "tag")]
    groups.append({"ivSize": 64, "keySize": 128, "tagSize": 128, "type": "AeadTest",
                   "tests": g4})
    g5 = [short_tag(14, "96-bit tag", k256, iv12, b"abcd", 12)]
    groups.append({"ivSize": 96, "keySize": 256, "tagSize": 96, "type": "AeadTest",
                   "tests": g5})
    count = sum(len(g["tests"]) for g in groups)
    return {
        "algorithm": "AES-GCM",
        "schema": "aead_test_schema_v1.json",
        "generatorVersion": "tigress make_vectors.py 1",
        "numberOfTests": count,
        "header": ["A small AES-GCM file in Wycheproof's AEAD layout, written for the "
                   "tigress-harness tests (values computed with python3-cryptography).",
                   "Groups with keySize 192, ivSize 64 and tagSize 96 must be skipped; test 5 "
                   "has non-empty aad and must be skipped too."],
        "notes": {
            "Ktv": {"bugType": "BASIC", "description": "Plain known-answer test."},
            "ModifiedTag": {"bugType": "AUTH_BYPASS", "description": "Tag bit flipped."},
            "ModifiedCiphertext": {"bugType": "AUTH_BYPASS",
                                   "description": "Ciphertext bit flipped."},
            "Aad": {"bugType": "FUNCTIONALITY", "description": "Non-empty associated data."},
            "Acceptable": {"bugType": "EDGE_CASE",
                           "description": "Marked acceptable: either outcome passes."},
            "SmallIv": {"bugType": "WEAK_PARAMS", "description": "IV shorter than 96 bits."},
            "ShortTag": {"bugType": "WEAK_PARAMS", "description": "Tag shorter than 128 bits."},
        },
        "testGroups": groups,
    }


def document(family, title, notes, tests, extra_header):
    return {
        "family": family,
        "schemaVersion": 1,
        "source": {"name": "scripts/make_vectors.py", "version": "1",
                   "computedWith": "python3-cryptography AESGCM"},
        "header": [title,
                   "Requirement IDs refer to vectors/requirements.json (spec-catalogue part B); "
                   "flags that carry an 'interpretation' rest on a part C entry and are reported "
                   "as interpretation, never as a hard MUST failure.",
                   "IDs are stable: never renumber or reuse; retired IDs go to retiredIds."]
                  + extra_header,
        "notes": notes,
        "numberOfTests": len(tests),
        "retiredIds": [],
        "tests": tests,
    }


def render(obj):
    return json.dumps(obj, indent=1, ensure_ascii=False) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    check_d3()
    files = {
        "vectors/payload_aead.json": document(
            "payload_aead", "Payload AEAD seal/open (spec-catalogue A.8, D.3)", PAYLOAD_NOTES,
            payload_tests(),
            ["Fixed IVs are for known answers only; real payloads use fresh random IVs."]),
        "vectors/share_url.json": document(
            "share_url", "Share URL parse, build and fragment strip (spec-catalogue A.9, D.1)",
            URL_NOTES, url_tests(), []),
        "vectors/messages.json": document(
            "messages", "Endpoint bodies and Provisioning Information (spec-catalogue A.6, A.10)",
            MSG_NOTES, msg_tests(),
            ["body is the exact text given to the parser; expected is the JSON the parsed "
             "value serialises to (compared as JSON values, not bytes)."]),
        "tests/kat/fixtures/wycheproof_style_aes_gcm.json": wycheproof_fixture(),
    }
    stale = []
    for rel, obj in files.items():
        path = os.path.join(ROOT, rel)
        text = render(obj)
        if check:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    stale.append(rel)
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        count = obj["numberOfTests"]
        print("wrote %s (%d tests)" % (rel, count))
    if stale:
        sys.stderr.write("make_vectors: stale, regenerate: %s\n" % ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
