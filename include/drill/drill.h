/**
 * @file drill/drill.h
 * @brief libdrill: emergency-drill scheduling and tracking. Includes every
 * public header.
 */
#ifndef DRILL_DRILL_H
#define DRILL_DRILL_H

#include "version.h"
#include "common.h"
#include "error.h"
#include "csv.h"
#include "date.h"
#include "calendar.h"
#include "campaign.h"
#include "unit.h"
#include "rule.h"
#include "plan.h"
#include "track.h"
#include "report.h"
#include "store.h"
#include "feed.h"

#endif
