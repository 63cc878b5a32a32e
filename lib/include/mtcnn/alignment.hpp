// Face alignment from the five landmarks: the similarity transform that maps a face's landmarks
// onto a template with the least squared error, and the crop it makes. The ArcFace/InsightFace
// template is the one face recognition models expect; the box crop is FaceNet's.
#pragma once

#include <array>
#include <opencv2/core.hpp>

#include "mtcnn/detector.hpp"

namespace mtcnn {

// Five points in the order of Landmark: left eye, right eye, nose, left and right mouth corner.
using FivePoints = std::array<cv::Point2d, kLandmarkCount>;

// ArcFace's template for a size x size crop: its five points for 112 x 112, scaled by size / 112.
FivePoints arcface_template(int size = 112);

// The similarity transform (rotation, uniform scale, translation; never a reflection) that maps
// `from` onto `to` with the least sum of squared distances, as the 2x3 matrix M with
// to ~ M * (x, y, 1): the closed form of Umeyama's method, the same as scikit-image's
// SimilarityTransform.estimate. Points all in one place give the translation alone.
cv::Matx23d similarity_transform(const FivePoints& from, const FivePoints& to);

// The face's five landmarks as FivePoints.
FivePoints landmarks_of(const Face& face);

// The transform of a box crop: the box made square around its centre, its side grown by
// `margin` (a fraction of the side: 0.2 adds 10% on each side), scaled to size x size.
cv::Matx23d box_transform(const cv::Rect2f& box, double margin, int size);

// The size x size crop of `image` under M (crop pixel = M * photo pixel) with cv::warpAffine:
// bilinear, black where M reaches outside the image; the warp recognition models were trained on.
cv::Mat warp_crop(const cv::Mat& image, const cv::Matx23d& m, int size);

// The box crop (box_transform's square) as FaceNet makes it: the square cut from the image,
// black where it leaves the image, resized to size x size by averaging over pixel areas.
cv::Mat box_crop(const cv::Mat& image, const cv::Rect2f& box, double margin, int size);

}  // namespace mtcnn
