// SPDX-License-Identifier: MIT
/*
 * bench-iso8583: a UnionPay sale request encoded with its MAC and decoded
 * again, per second, beside the cost of the MAC alone over the same bytes.
 * Target: codec overhead (total - MAC) <= 0.5 x the MAC's own cost.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "crypto/mac.h"
#include "iso8583/iso8583.h"

static void build_sale(struct iso_msg *m);

#define ROUNDS	50000
#define TRIALS	7	/* best of, alternating: the build machines are shared */

static const uint8_t mak[16] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
	0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10,
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cup_mac(void *ctx, const uint8_t *data, size_t len, uint8_t mac[8])
{
	return pcc_mac_cup_ecb(mak, sizeof(mak), data, len, mac) == PCC_OK ? 0 : -1;
}

/* Stand-in MAC for timing the codec alone. */
static int no_mac(void *ctx, const uint8_t *data, size_t len, uint8_t mac[8])
{
	memset(mac, (int)len, 8);
	return 0;
}

/* One sale request: build, encode with @mac, decode. */
static int round_trip(iso_mac_fn mac, struct iso_msg *msg, struct iso_msg *back,
		      uint8_t *frame, size_t size, size_t *len)
{
	static const struct iso_envelope env = {
		{ 0x60, 0x00, 0x03, 0x00, 0x00 }, { 0x60, 0x31, 0, 0, 0, 0 },
	};

	build_sale(msg);
	return iso_frame_encode_mac(&iso_dialect_cup, &env, msg, mac, NULL, frame,
				    size, len, NULL) ||
	       iso_frame_decode(&iso_dialect_cup, frame, *len, NULL, back, NULL);
}

static void build_sale(struct iso_msg *m)
{
	static const uint8_t pin[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	iso_msg_init(m, "0200");
	iso_msg_set_str(m, 2, "6222021234567890123");
	iso_msg_set_str(m, 3, "000000");
	iso_msg_set_str(m, 4, "000000001234");
	iso_msg_set_str(m, 11, "000123");
	iso_msg_set_str(m, 14, "2512");
	iso_msg_set_str(m, 22, "021");
	iso_msg_set_str(m, 25, "00");
	iso_msg_set_str(m, 26, "12");
	iso_msg_set_str(m, 35, "6222021234567890123=2512101");
	iso_msg_set_str(m, 41, "12345678");
	iso_msg_set_str(m, 42, "123456789012345");
	iso_msg_set_str(m, 49, "156");
	iso_msg_set(m, 52, pin, 8);
	iso_msg_set_str(m, 53, "2600000000000000");
	iso_msg_set_str(m, 60, "22000001");
}

/* Seconds per call of @what, best of TRIALS. */
static double best(double *best_s, double t0)
{
	double per = (now_s() - t0) / ROUNDS;

	if (per < *best_s)
		*best_s = per;
	return per;
}

int main(void)
{
	static struct iso_msg msg, back;
	uint8_t frame[1024], mac[8];
	size_t len = 0, body_off = iso_frame_body_offset(&iso_dialect_cup);
	double t0, mac_s = 1e9, total_s = 1e9, codec_s = 1e9;

	if (round_trip(cup_mac, &msg, &back, frame, sizeof(frame), &len)) {
		fprintf(stderr, "bench-iso8583: cannot encode the sale\n");
		return 1;
	}
	for (int trial = 0; trial < TRIALS; trial++) {
		t0 = now_s();
		for (int i = 0; i < ROUNDS; i++)
			cup_mac(NULL, frame + body_off, len - body_off - 8, mac);
		best(&mac_s, t0);
		t0 = now_s();
		for (int i = 0; i < ROUNDS; i++)
			if (round_trip(cup_mac, &msg, &back, frame, sizeof(frame), &len))
				return 1;
		best(&total_s, t0);
		t0 = now_s();
		for (int i = 0; i < ROUNDS; i++)
			if (round_trip(no_mac, &msg, &back, frame, sizeof(frame), &len))
				return 1;
		best(&codec_s, t0);
	}
	printf("bench-iso8583: sale request %zu bytes (MAC over %zu), best of %d x %d\n",
	       len, len - body_off - 8, TRIALS, ROUNDS);
	printf("bench-iso8583: MAC alone (UnionPay ECB, 2-key TDES): %.0f/s, %.2f us\n",
	       1 / mac_s, mac_s * 1e6);
	printf("bench-iso8583: build+encode+MAC+decode: %.0f/s, %.2f us"
	       " (minus MAC: %.2f us = %.2f x MAC)\n", 1 / total_s, total_s * 1e6,
	       (total_s - mac_s) * 1e6, (total_s - mac_s) / mac_s);
	printf("bench-iso8583: build+encode+decode, no MAC: %.0f/s, %.2f us"
	       " = %.2f x the MAC cost (target <= 0.50)\n", 1 / codec_s,
	       codec_s * 1e6, codec_s / mac_s);
	return 0;
}
