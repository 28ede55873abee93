//go:build !purego

#include "textflag.h"

// One step of the filter for the keywords' byte at offset OFF: Y7 &= the
// groups whose nibble tables (LO, HI) accept the text byte at SI+OFF.
#define GROUPS(OFF, LO, HI) \
	VMOVDQU OFF(SI), Y0 \
	VPOR    Y15, Y0, Y0 \
	VPSRLW  $4, Y0, Y1 \
	VPAND   Y14, Y0, Y0 \
	VPAND   Y14, Y1, Y1 \
	VPSHUFB Y0, LO, Y0 \
	VPSHUFB Y1, HI, Y1 \
	VPAND   Y1, Y0, Y0 \
	VPAND   Y0, Y7, Y7

// func markBlocks(t *nibbleTables, text *byte, blocks int, marks *uint32)
TEXT ·markBlocks(SB), NOSPLIT, $0-32
	MOVQ t+0(FP), AX
	MOVQ text+8(FP), SI
	MOVQ blocks+16(FP), CX
	MOVQ marks+24(FP), DI
	VMOVDQU 0(AX), Y8    // lo[0]
	VMOVDQU 32(AX), Y10  // lo[1]
	VMOVDQU 64(AX), Y12  // lo[2]
	VMOVDQU 96(AX), Y2   // lo[3]
	VMOVDQU 128(AX), Y4  // lo[4]
	VMOVDQU 160(AX), Y9  // hi[0]
	VMOVDQU 192(AX), Y11 // hi[1]
	VMOVDQU 224(AX), Y13 // hi[2]
	VMOVDQU 256(AX), Y3  // hi[3]
	VMOVDQU 288(AX), Y5  // hi[4]
	VMOVDQU 320(AX), Y14 // low nibble mask
	VMOVDQU 352(AX), Y15 // case fold bit
	VPXOR   Y6, Y6, Y6
	TESTQ   CX, CX
	JLE     done

loop:
	VPCMPEQB Y7, Y7, Y7 // every group
	GROUPS(0, Y8, Y9)
	GROUPS(1, Y10, Y11)
	GROUPS(2, Y12, Y13)
	GROUPS(3, Y2, Y3)
	GROUPS(4, Y4, Y5)
	VPCMPEQB  Y6, Y7, Y7 // 0xff where no group is left
	VPMOVMSKB Y7, BX
	NOTL      BX
	MOVL      BX, (DI)
	ADDQ      $32, SI
	ADDQ      $4, DI
	DECQ      CX
	JNZ       loop

done:
	VZEROUPPER
	RET

// func spanBlocks(t *classTables, text *byte, blocks int) int
TEXT ·spanBlocks(SB), NOSPLIT, $0-32
	MOVQ    t+0(FP), AX
	MOVQ    text+8(FP), SI
	MOVQ    blocks+16(FP), CX
	VMOVDQU 0(AX), Y8   // lo
	VMOVDQU 32(AX), Y9  // hi
	VMOVDQU 64(AX), Y14 // low nibble mask
	VPXOR   Y6, Y6, Y6
	XORQ    DX, DX      // bytes in the class so far

span:
	TESTQ     CX, CX
	JLE       spanned
	VMOVDQU   (SI)(DX*1), Y0
	VPSRLW    $4, Y0, Y1
	VPAND     Y14, Y0, Y0
	VPAND     Y14, Y1, Y1
	VPSHUFB   Y0, Y8, Y0
	VPSHUFB   Y1, Y9, Y1
	VPAND     Y1, Y0, Y0
	VPCMPEQB  Y6, Y0, Y0 // 0xff where a byte is outside the class
	VPMOVMSKB Y0, BX
	TESTL     BX, BX
	JNZ       outside
	ADDQ      $32, DX
	DECQ      CX
	JMP       span

outside:
	BSFL BX, BX
	ADDQ BX, DX

spanned:
	MOVQ DX, ret+24(FP)
	VZEROUPPER
	RET
