/* Compiles data/holidays-cn.csv into the library (see drill_calendar_new_china).
 * HOLIDAYS_CN_CSV is the file's absolute path, set by the Makefile. */
    .section .rodata
    .global drill__holidays_cn_csv
    .hidden drill__holidays_cn_csv
    .global drill__holidays_cn_csv_end
    .hidden drill__holidays_cn_csv_end
drill__holidays_cn_csv:
    .incbin HOLIDAYS_CN_CSV
drill__holidays_cn_csv_end:
    .byte 0
    .section .note.GNU-stack,"",@progbits
