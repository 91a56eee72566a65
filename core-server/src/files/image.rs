//! Image processing: dimensions, EXIF orientation, and the thumbnail and
//! preview Mattermost clients show. Every decode runs with limits, so a small
//! file that claims to be a huge image cannot exhaust memory.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

/// Thumbnail box, as Mattermost.
pub const THUMBNAIL_WIDTH: u32 = 120;
pub const THUMBNAIL_HEIGHT: u32 = 100;
/// Previews are at most this wide.
pub const PREVIEW_WIDTH: u32 = 1920;

/// Why an image was not processed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageError {
    #[error("the image is {width}×{height} pixels, more than the {max} allowed")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("the image cannot be read: {0}")]
    Unreadable(String),
}

/// Width and height from the first bytes of an image, without decoding it.
pub fn dimensions(head: &[u8]) -> Option<(u32, u32)> {
    ImageReader::new(Cursor::new(head))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// Refuses images larger than `max_pixels` (a decompression bomb is a
/// small file that claims enormous dimensions).
pub fn check_pixels(width: u32, height: u32, max_pixels: u64) -> Result<(), ImageError> {
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(ImageError::TooManyPixels {
            width,
            height,
            max: max_pixels,
        });
    }
    Ok(())
}

/// Decodes an image with limits and its EXIF orientation applied.
fn decode(bytes: &[u8], max_pixels: u64) -> Result<DynamicImage, ImageError> {
    let unreadable = |e: image::ImageError| ImageError::Unreadable(e.to_string());
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::Unreadable(e.to_string()))?;
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, max_pixels)?;
    let mut limits = Limits::default();
    // RGBA at 8 bits, plus room for the decoder's own buffers.
    limits.max_alloc = Some(max_pixels.saturating_mul(4).saturating_add(64 << 20));
    decoder.set_limits(limits).map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// A `side`×`side` PNG of the image: scaled to cover the square, then
/// centred and cropped (as Mattermost makes team icons). Blocking: call it
/// on a blocking thread.
pub fn square_png(bytes: &[u8], side: u32, max_pixels: u64) -> Result<Vec<u8>, ImageError> {
    let img = decode(bytes, max_pixels)?;
    let square = img.resize_to_fill(side, side, image::imageops::FilterType::Lanczos3);
    let mut out = Vec::new();
    square
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| ImageError::Unreadable(e.to_string()))?;
    Ok(out)
}

/// The made images of one upload.
pub struct Processed {
    /// Width and height after EXIF orientation.
    pub width: u32,
    pub height: u32,
    pub thumbnail: Vec<u8>,
    pub preview: Vec<u8>,
    /// A 16×16 JPEG.
    pub mini_preview: Vec<u8>,
}

/// Decodes an image (EXIF orientation applied) and makes its JPEG thumbnail
/// and preview. Blocking: call it on a blocking thread.
pub fn process(bytes: &[u8], max_pixels: u64) -> Result<Processed, ImageError> {
    let img = decode(bytes, max_pixels)?;
    let (width, height) = (img.width(), img.height());
    let thumbnail = encode_jpeg(&thumbnail_of(&img))?;
    let preview = encode_jpeg(&preview_of(&img))?;
    let mini_preview = encode_jpeg(&mini_preview_of(&img))?;
    Ok(Processed {
        width,
        height,
        thumbnail,
        preview,
        mini_preview,
    })
}

/// As Mattermost: landscape images get 120 pixels of width, others 100 of
/// height, keeping the aspect ratio (small images are enlarged too).
fn thumbnail_of(img: &DynamicImage) -> DynamicImage {
    let (w, h) = (img.width().max(1), img.height().max(1));
    let (tw, th) = if w > h {
        (THUMBNAIL_WIDTH, scale(h, THUMBNAIL_WIDTH, w))
    } else {
        (scale(w, THUMBNAIL_HEIGHT, h), THUMBNAIL_HEIGHT)
    };
    img.resize_exact(tw, th, image::imageops::FilterType::Triangle)
}

/// The 16×16 placeholder the apps blur while the preview loads.
fn mini_preview_of(img: &DynamicImage) -> DynamicImage {
    img.resize_exact(16, 16, image::imageops::FilterType::Triangle)
}

/// Scales the image down to the preview width, never enlarging.
fn preview_of(img: &DynamicImage) -> DynamicImage {
    let (w, h) = (img.width().max(1), img.height().max(1));
    if w <= PREVIEW_WIDTH {
        return img.clone();
    }
    img.resize_exact(
        PREVIEW_WIDTH,
        scale(h, PREVIEW_WIDTH, w),
        image::imageops::FilterType::Triangle,
    )
}

/// `value × to ÷ from`, at least 1.
fn scale(value: u32, to: u32, from: u32) -> u32 {
    let scaled = u64::from(value) * u64::from(to) / u64::from(from.max(1));
    u32::try_from(scaled).unwrap_or(u32::MAX).max(1)
}

fn encode_jpeg(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    // JPEG has no alpha: flatten to RGB first.
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    rgb.write_with_encoder(encoder)
        .map_err(|e| ImageError::Unreadable(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(width, height);
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("png");
        out
    }

    #[test]
    fn thumbnails_fit_the_box_and_previews_keep_small_images() {
        let done = process(&png(600, 300), 10_000_000).expect("processed");
        assert_eq!((done.width, done.height), (600, 300));
        let thumb = image::load_from_memory(&done.thumbnail).expect("jpeg");
        assert_eq!((thumb.width(), thumb.height()), (120, 60));
        let preview = image::load_from_memory(&done.preview).expect("jpeg");
        assert_eq!((preview.width(), preview.height()), (600, 300));
        let tall = process(&png(100, 400), 10_000_000).expect("processed");
        let thumb = image::load_from_memory(&tall.thumbnail).expect("jpeg");
        assert_eq!((thumb.width(), thumb.height()), (25, 100));
        let mini = image::load_from_memory(&tall.mini_preview).expect("jpeg");
        assert_eq!((mini.width(), mini.height()), (16, 16));
    }

    #[test]
    fn squares_cover_then_crop_the_centre() {
        // A wide image: red on the left third, green in the middle, blue right.
        let mut img = image::RgbImage::new(300, 100);
        for (x, _, p) in img.enumerate_pixels_mut() {
            *p = match x {
                0..100 => image::Rgb([255, 0, 0]),
                100..200 => image::Rgb([0, 255, 0]),
                _ => image::Rgb([0, 0, 255]),
            };
        }
        let mut wide = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut wide), image::ImageFormat::Jpeg)
            .expect("jpeg");
        let png = square_png(&wide, 128, 10_000_000).expect("square");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "always a PNG");
        let square = image::load_from_memory(&png).expect("png").to_rgb8();
        assert_eq!(square.dimensions(), (128, 128));
        let centre = square.get_pixel(64, 64);
        assert!(
            centre[1] > 200 && centre[0] < 60 && centre[2] < 60,
            "{centre:?}"
        );
        assert!(matches!(
            square_png(b"not an image", 128, 10_000_000),
            Err(ImageError::Unreadable(_))
        ));
    }

    #[test]
    fn wide_images_get_a_1920_pixel_preview() {
        let done = process(&png(3840, 1000), 10_000_000).expect("processed");
        let preview = image::load_from_memory(&done.preview).expect("jpeg");
        assert_eq!((preview.width(), preview.height()), (1920, 500));
    }

    /// PNG's chunk checksum (CRC-32/ISO-HDLC), so the doctored header stays valid.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_bomb_is_refused_before_decoding() {
        // A valid PNG header claiming 100,000 × 100,000 pixels.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(dimensions(&bomb), Some((100_000, 100_000)));
        assert!(matches!(
            process(&bomb, 33_177_600),
            Err(ImageError::TooManyPixels { .. })
        ));
    }
}
