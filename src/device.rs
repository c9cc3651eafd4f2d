//! The devices rhetor detects, and the small enums that describe a span.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A framing device, as defined in the taxonomy (DEVICES.md).
///
/// The serialized name (`"false_dichotomy"`, ...) is stable and is the one used in every output
/// format and in gold files.
///
/// ```
/// use rhetor::Device;
/// let device: Device = "hedge".parse().unwrap();
/// assert_eq!(device, Device::Hedge);
/// assert_eq!(device.name(), "hedge");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Device {
    /// Two options presented as the only ones, or one option as the only one.
    FalseDichotomy,
    /// "It is not a bug, it is a feature": an expected reading replaced by a contrary one.
    Inversion,
    /// Markers that present a claim as certain, absolute or beyond question.
    Certainty,
    /// Markers that soften commitment to a claim.
    Hedge,
}

impl Device {
    /// Every device, in the documented order used by scores and feature vectors.
    pub const ALL: [Device; 4] = [
        Device::FalseDichotomy,
        Device::Inversion,
        Device::Certainty,
        Device::Hedge,
    ];

    /// The stable snake_case name of the device.
    pub fn name(self) -> &'static str {
        match self {
            Device::FalseDichotomy => "false_dichotomy",
            Device::Inversion => "inversion",
            Device::Certainty => "certainty",
            Device::Hedge => "hedge",
        }
    }

    /// A one-line description of the device.
    pub fn description(self) -> &'static str {
        match self {
            Device::FalseDichotomy => {
                "Two options presented as the only possibilities, or one option as the only one."
            }
            Device::Inversion => {
                "An expected reading named and replaced by a contrary one (\"not a bug, a feature\")."
            }
            Device::Certainty => {
                "Boosters, truth framing, absolutes and verdicts that present a claim as certain."
            }
            Device::Hedge => "Modal, adverbial and first-person markers that soften a claim.",
        }
    }

    /// The position of the device in [`Device::ALL`].
    pub fn index(self) -> usize {
        match self {
            Device::FalseDichotomy => 0,
            Device::Inversion => 1,
            Device::Certainty => 2,
            Device::Hedge => 3,
        }
    }
}

impl fmt::Display for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown device name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown device `{0}` (expected one of: false_dichotomy, inversion, certainty, hedge)")]
pub struct UnknownDevice(pub String);

impl FromStr for Device {
    type Err = UnknownDevice;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Device::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| UnknownDevice(s.to_string()))
    }
}

/// Whether the writer asserts a device or states it in order to deny it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// The device is used (the default).
    #[default]
    Asserted,
    /// The device is stated in order to reject or mock it ("a false choice").
    Rebutted,
}

/// The role of a [`Part`](crate::Part) inside a span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The frame an inversion denies ("a bug").
    Rejected,
    /// The frame an inversion puts in its place ("a feature").
    Asserted,
    /// One of the options of a dichotomy.
    Option,
}

impl Role {
    /// The stable snake_case name of the role.
    pub fn name(self) -> &'static str {
        match self {
            Role::Rejected => "rejected",
            Role::Asserted => "asserted",
            Role::Option => "option",
        }
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "rejected" => Ok(Role::Rejected),
            "asserted" => Ok(Role::Asserted),
            "option" => Ok(Role::Option),
            other => Err(format!(
                "unknown part role `{other}` (expected rejected, asserted or option)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_parse_and_serde() {
        for device in Device::ALL {
            assert_eq!(device.name().parse::<Device>().unwrap(), device);
            let json = serde_json::to_string(&device).unwrap();
            assert_eq!(json, format!("\"{}\"", device.name()));
            assert_eq!(Device::ALL[device.index()], device);
        }
        assert!("sarcasm".parse::<Device>().is_err());
    }
}
