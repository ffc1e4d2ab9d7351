package bai2

import (
	"strconv"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
)

// Class is what a type code reports; see parsers.BAI2Class.
type Class = parsers.BAI2Class

// The BAI type code list (Cash Management Balance Reporting Specifications,
// version 2), by class. Codes of the defined ranges that are not listed here
// are classified by their range (see classOf).
const (
	statusCodes = "010 011 012 015 020 021 022 024 025 030 037 039 040 041 042 043 044 045 " +
		"050 051 054 055 056 057 059 060 061 062 063 065 066 067 068 070 072 073 074 075 " +
		"076 077 078 079 080 081 082 083 084 085 086 701 703 705 707 709"
	creditSummaryCodes = "100 101 105 106 107 109 110 120 130 131 140 146 150 160 162 163 167 " +
		"170 178 180 182 185 186 188 190 200 205 207 210 215 230 231 239 245 250 251 256 " +
		"260 270 271 280 285 294 302 303 304 305 307 309 310 315 316 318 319 320 321 324 " +
		"325 326 327 328 329 330 332 336 338 340 341 343 350 352 355 356 360 361 370 385 " +
		"389 390 720"
	creditDetailCodes = "108 115 116 118 121 122 123 135 136 142 143 145 147 155 156 164 165 " +
		"166 168 169 171 172 173 174 175 176 184 187 189 191 195 196 198 201 202 206 208 " +
		"212 213 214 216 218 221 222 224 226 227 229 232 233 234 235 236 237 238 240 241 " +
		"242 243 244 246 247 248 249 252 254 255 257 258 261 263 266 268 274 275 276 277 " +
		"278 281 286 295 301 306 308 331 342 344 345 346 347 348 349 351 353 354 357 358 " +
		"359 362 363 364 366 367 368 369 372 373 374 376 377 378 379 381 382 383 384 386 " +
		"387 388 391 392 393 394 395 397 398 399 721 722 723 724 725 726 727 728"
	debitSummaryCodes = "400 401 403 405 406 410 412 416 420 430 446 450 463 465 467 470 471 " +
		"478 480 482 486 490 500 505 507 510 515 530 532 534 536 537 539 550 551 556 560 " +
		"570 580 583 584 585 586 587 588 590 594 596 601 602 610 611 612 613 614 615 617 " +
		"618 621 623 625 626 628 630 632 640 646 650 655 665 670 685 689 690 760"
	debitDetailCodes = "408 409 415 421 422 423 435 445 447 451 452 455 462 464 466 468 469 " +
		"472 474 475 476 477 479 481 484 485 487 489 491 493 495 496 498 501 502 506 508 " +
		"512 513 514 516 518 522 524 526 527 529 531 533 535 538 540 541 542 543 544 546 " +
		"547 548 549 552 554 555 557 558 561 563 564 566 567 568 574 575 577 578 581 595 " +
		"597 616 622 627 629 631 633 634 641 644 651 654 656 657 658 659 661 662 663 664 " +
		"666 667 668 669 672 673 674 676 677 678 679 681 682 683 684 686 687 688 691 692 " +
		"693 694 695 696 697 698 699"
	nonMonetaryCodes = "890"

	// Details that return or reverse an earlier entry.
	returnCodes   = "123 257 261 266 423 555 557 561 566"
	reversalCodes = "252 258 395 552 558 694"
)

// codeInfo is what the list says about one type code.
type codeInfo struct {
	class  Class
	listed bool // in the published list, not only in its range
	status engine.Status
}

var (
	codes     [1000]codeInfo
	codeNames [1000]string // "000".."999", so that payments share them
)

func init() {
	for i := range codeNames {
		codeNames[i] = strconv.Itoa(1000 + i)[1:]
	}
	for class, list := range map[Class]string{
		parsers.BAI2Status: statusCodes, parsers.BAI2CreditSummary: creditSummaryCodes,
		parsers.BAI2CreditDetail: creditDetailCodes, parsers.BAI2DebitSummary: debitSummaryCodes,
		parsers.BAI2DebitDetail: debitDetailCodes, parsers.BAI2NonMonetary: nonMonetaryCodes,
	} {
		for _, c := range strings.Fields(list) {
			n, _ := strconv.Atoi(c)
			codes[n].class, codes[n].listed = class, true
		}
	}
	for st, list := range map[engine.Status]string{engine.Return: returnCodes, engine.Reversal: reversalCodes} {
		for _, c := range strings.Fields(list) {
			n, _ := strconv.Atoi(c)
			codes[n].status = st
		}
	}
}

// classOf classifies type code n (0-999). A listed code has its class;
// an unlisted code of a defined range is classified by the range, and
// custom (900-999) may override the bank-defined range. listed is false
// when the class comes from the range alone.
func classOf(n int, custom map[int]Class) (class Class, listed bool) {
	if c := codes[n]; c.listed {
		return c.class, true
	}
	if c, ok := custom[n]; ok {
		return c, true
	}
	switch {
	case n >= 1 && n <= 99, n >= 900 && n <= 919:
		return parsers.BAI2Status, false
	case n >= 100 && n <= 399, n >= 920 && n <= 959:
		return parsers.BAI2CreditDetail, false
	case n >= 400 && n <= 699, n >= 960 && n <= 999:
		return parsers.BAI2DebitDetail, false
	}
	return parsers.BAI2Unknown, false
}
